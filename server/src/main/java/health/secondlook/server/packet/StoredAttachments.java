package health.secondlook.server.packet;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.hl7.fhir.r4.model.Binary;
import org.springframework.stereotype.Component;

/**
 * Keeps attachment content too large for the packet as a SecondLook {@code Binary}, named by a hash
 * of the content, so assembling the same packet again stores nothing new and yields the same URL.
 */
@Component
class StoredAttachments implements PacketAssembler.AttachmentStore {

  private static final String DEFAULT_TYPE = "application/octet-stream";

  private final IFhirResourceDao<Binary> binaries;

  StoredAttachments(DaoRegistry daoRegistry) {
    this.binaries = daoRegistry.getResourceDao(Binary.class);
  }

  @Override
  public String store(byte[] data, String contentType) {
    String type = contentType == null ? DEFAULT_TYPE : contentType;
    Binary binary = new Binary();
    // "attachment-" and 52 hex digits: within FHIR's 64-character id limit.
    binary.setId("attachment-" + sha256(type, data).substring(0, 52));
    binary.setContentType(type);
    binary.setData(data);
    binaries.update(binary, new SystemRequestDetails());
    return binary.getIdElement().getIdPart();
  }

  private static String sha256(String contentType, byte[] data) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(contentType.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      return HexFormat.of().formatHex(digest.digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
