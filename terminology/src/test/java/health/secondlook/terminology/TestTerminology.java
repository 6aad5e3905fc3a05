package health.secondlook.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;

/** The loaded content and a validation support chain that knows it, shared by the tests. */
final class TestTerminology {

  static final FhirContext CTX = FhirContext.forR4Cached();
  static final List<MetadataResource> RESOURCES = TerminologyContent.loadAll(CTX);

  /**
   * Base R4 definitions, our own resources, and in-memory terminology: enough to validate and
   * expand enumerated value sets without LOINC or SNOMED CT loaded.
   */
  static final ValidationSupportChain SUPPORT = validationSupport();

  private TestTerminology() {}

  static <T extends MetadataResource> T byUrl(Class<T> type, String url) {
    return RESOURCES.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(r -> url.equals(r.getUrl()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " " + url));
  }

  /** Runs {@code $expand} the way a server without LOINC or SNOMED CT loaded would. */
  static ValueSet expand(String valueSetUrl) {
    IValidationSupport.ValueSetExpansionOutcome outcome =
        SUPPORT.expandValueSet(
            new ValidationSupportContext(SUPPORT), new ValueSetExpansionOptions(), valueSetUrl);
    if (outcome == null || outcome.getError() != null) {
      throw new AssertionError(
          "Cannot expand "
              + valueSetUrl
              + ": "
              + (outcome == null ? "unknown" : outcome.getError()));
    }
    return (ValueSet) outcome.getValueSet();
  }

  private static ValidationSupportChain validationSupport() {
    PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(CTX);
    RESOURCES.forEach(ours::addResource);
    return new ValidationSupportChain(
        new DefaultProfileValidationSupport(CTX),
        ours,
        new InMemoryTerminologyServerValidationSupport(CTX),
        new CommonCodeSystemsTerminologyService(CTX));
  }
}
