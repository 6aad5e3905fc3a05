package health.secondlook.server.packet;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Resource;

/**
 * Decides where each attachment's content travels. Content up to the size limit goes inside the
 * packet ({@code data}), including a pulled Binary the attachment points at. Larger content stays
 * on SecondLook as a {@code Binary} and the attachment carries its absolute URL with {@code size}
 * and {@code hash}, so the signed packet still pins exactly what the recipient fetches.
 */
final class PacketAttachments {

  private final long maxInlineBytes;
  private final PacketAssembler.AttachmentStore store;
  private final Map<String, Resource> records;
  private final String secondLookBase;

  /**
   * @param records the records available to the packet by {@code Type/id}, pulled Binaries included
   * @param secondLookBase SecondLook's FHIR base URL, ending in {@code /}
   */
  PacketAttachments(
      long maxInlineBytes,
      PacketAssembler.AttachmentStore store,
      Map<String, Resource> records,
      String secondLookBase) {
    this.maxInlineBytes = maxInlineBytes;
    this.store = store;
    this.records = records;
    this.secondLookBase = secondLookBase;
  }

  void place(Attachment attachment) {
    if (attachment.hasData()) {
      byte[] data = attachment.getData();
      if (data.length > maxInlineBytes) {
        String binaryId = store.store(data, attachment.getContentType());
        linkTo(attachment, "Binary/" + binaryId, data);
      }
      return;
    }
    if (!attachment.hasUrl()) {
      return;
    }
    String key = PacketReferences.localKey(attachment.getUrl(), secondLookBase).orElse(null);
    if (key == null) {
      return; // at the referring EHR (too large to pull) or elsewhere: the URL says where
    }
    if (records.get(key) instanceof Binary binary && binary.hasData()) {
      if (binary.getData().length <= maxInlineBytes) {
        attachment.setData(binary.getData());
        attachment.setSize(binary.getData().length);
        attachment.setUrl(null);
        if (!attachment.hasContentType()) {
          attachment.setContentType(binary.getContentType());
        }
      } else {
        linkTo(attachment, key, binary.getData());
      }
    } else {
      attachment.setUrl(secondLookBase + key);
    }
  }

  private void linkTo(Attachment attachment, String key, byte[] data) {
    attachment.setData(null);
    attachment.setUrl(secondLookBase + key);
    attachment.setSize(data.length);
    attachment.setHash(sha1(data));
  }

  /** R4 defines {@code Attachment.hash} as the SHA-1 of the data. */
  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
