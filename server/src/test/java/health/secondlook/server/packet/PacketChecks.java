package health.secondlook.server.packet;

import static health.secondlook.terminology.TerminologyContent.PACKET_SECTION_SYSTEM;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Reference;

/** What every packet must satisfy, checked the way a recipient's system would. */
final class PacketChecks {

  private static final FhirContext CTX = FhirContext.forR4Cached();
  private static FhirValidator validator;
  private static final String HAPI_NON_JCS_CHECK = "BUNDLE_SIGNATURE_SIG_FAIL";

  private PacketChecks() {}

  /**
   * Errors and fatal problems from HAPI's validator against base R4 (bdl-* invariants included).
   *
   * <p>One message is set aside: HAPI 8.6's signature check, "a work in progress" by its own words,
   * recomputes the signed bytes with its own canonical JSON rather than RFC 8785 (JCS), which CDex
   * signatures use, so it reports every CDex signature as not verifying. It still checks the rest
   * of the signature (base64, header, sigT = when, certificate). The signature itself is verified
   * by {@code BundleVerifier} and, independently, with jose4j.
   */
  static synchronized List<String> validationErrors(Bundle packet) {
    if (validator == null) {
      ValidationSupportChain support =
          new ValidationSupportChain(
              new DefaultProfileValidationSupport(CTX),
              new InMemoryTerminologyServerValidationSupport(CTX),
              new CommonCodeSystemsTerminologyService(CTX),
              new SnapshotGeneratingValidationSupport(CTX));
      validator = CTX.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
    }
    return validator.validateWithResult(packet).getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
        .filter(m -> m.getMessageId() == null || !m.getMessageId().startsWith(HAPI_NON_JCS_CHECK))
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
