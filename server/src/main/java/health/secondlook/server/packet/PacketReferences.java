package health.secondlook.server.packet;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * How the packet names its entries: every entry has a {@code urn:uuid:} full URL derived from
 * SecondLook's {@code Type/id} of the record (so the same record gets the same URL in every packet
 * and every assembly of the same inputs is identical), and references between entries use those
 * URLs. This keeps the packet independent of SecondLook's address.
 */
final class PacketReferences {

  private PacketReferences() {}

  /** SecondLook's {@code Type/id} of a stored record. */
  static String key(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  /** The packet's full URL for the record (or made-up entry) with this key. */
  static String fullUrl(String key) {
    return "urn:uuid:"
        + UUID.nameUUIDFromBytes(("secondlook-packet:" + key).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The {@code Type/id} of a reference to a record stored in SecondLook (relative, or absolute at
   * SecondLook's base, versions dropped); empty for contained, {@code urn:} and other servers'
   * references.
   */
  static Optional<String> localKey(String reference, String secondLookBase) {
    if (reference.startsWith("#") || reference.startsWith("urn:")) {
      return Optional.empty();
    }
    String relative =
        reference.startsWith(secondLookBase)
            ? reference.substring(secondLookBase.length())
            : reference;
    if (relative.contains("://") || relative.contains("?")) {
      return Optional.empty();
    }
    IdType id = new IdType(relative);
    if (!id.hasResourceType() || !id.hasIdPart()) {
      return Optional.empty();
    }
    return Optional.of(id.getResourceType() + "/" + id.getIdPart());
  }
}
