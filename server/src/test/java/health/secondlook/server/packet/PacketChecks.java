package health.secondlook.server.packet;

import static health.secondlook.terminology.TerminologyContent.PACKET_SECTION_SYSTEM;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import health.secondlook.server.support.HapiValidation;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Reference;

/** What every packet must satisfy, checked the way a recipient's system would. */
final class PacketChecks {

  private static final FhirContext CTX = FhirContext.forR4Cached();

  private PacketChecks() {}

  /** Errors and fatal problems from HAPI's validator against base R4, signature check included. */
  static synchronized List<String> validationErrors(Bundle packet) {
    return HapiValidation.validator().validateWithResult(packet).getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
        .map(m -> m.getLocationString() + ": " + m.getMessage())
        .toList();
  }

  /**
   * References anywhere in the packet that point neither at an entry's {@code fullUrl}, nor inside
   * their own resource ({@code #id}), nor absolutely at another server (the EHR's records the pull
   * left there).
   */
  static List<String> unresolvedReferences(Bundle packet) {
    Set<String> fullUrls =
        packet.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getFullUrl)
            .collect(Collectors.toSet());
    return CTX.newTerser().getAllPopulatedChildElementsOfType(packet, Reference.class).stream()
        .filter(Reference::hasReference)
        .map(Reference::getReference)
        .filter(r -> !r.startsWith("#") && !fullUrls.contains(r))
        .filter(r -> !r.startsWith("http://") && !r.startsWith("https://"))
        .toList();
  }

  /** References that point at a server at all, to tell which ones leave the packet. */
  static List<String> absoluteReferences(Bundle packet) {
    return CTX.newTerser().getAllPopulatedChildElementsOfType(packet, Reference.class).stream()
        .filter(Reference::hasReference)
        .map(Reference::getReference)
        .filter(r -> r.startsWith("http://") || r.startsWith("https://"))
        .toList();
  }

  static Composition composition(Bundle packet) {
    return (Composition) packet.getEntryFirstRep().getResource();
  }

  static Composition.SectionComponent section(Bundle packet, String code) {
    return composition(packet).getSection().stream()
        .filter(
            s ->
                s.getCode().getCoding().stream()
                    .anyMatch(
                        c ->
                            PACKET_SECTION_SYSTEM.equals(c.getSystem())
                                && code.equals(c.getCode())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No section " + code));
  }
}
