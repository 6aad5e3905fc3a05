package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport.CodeValidationResult;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import health.secondlook.terminology.TerminologyContent;
import java.util.Collection;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Answers "is this code in that ValueSet?" for classification and conditions, from the ValueSets
 * themselves rather than from codes written into Java: a site that edits a ValueSet changes what
 * counts as a packet item without recompiling.
 */
public final class ValueSetCodeCheck {

  private final IValidationSupport support;
  private final ValidationSupportContext context;
  private final ConceptValidationOptions options = new ConceptValidationOptions();

  /** Checks codes with any validation support, e.g. one backed by the server's terminology. */
  public ValueSetCodeCheck(IValidationSupport support) {
    this.support = support;
    this.context = new ValidationSupportContext(support);
  }

  /** Checks codes against the SecondLook terminology shipped in the terminology module. */
  public static ValueSetCodeCheck fromTerminology(FhirContext ctx) {
    return of(ctx, TerminologyContent.loadAll(ctx));
  }

  /**
   * Checks codes against the given CodeSystems and ValueSets, evaluated in memory; LOINC and SNOMED
   * CT need not be loaded because the packet-item ValueSets list their codes.
   */
  public static ValueSetCodeCheck of(
      FhirContext ctx, Collection<? extends IBaseResource> conformanceResources) {
    PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(ctx);
    conformanceResources.forEach(ours::addResource);
    return new ValueSetCodeCheck(
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(ctx),
            ours,
            new InMemoryTerminologyServerValidationSupport(ctx),
            new CommonCodeSystemsTerminologyService(ctx)));
  }

  /** Whether the ValueSet is known, so a mapping naming a missing one fails at start-up. */
  public boolean hasValueSet(String valueSetUrl) {
    return support.fetchValueSet(valueSetUrl) != null;
  }

  /** Whether {@code system|code} is in the ValueSet; a code without a system never is. */
  public boolean contains(String valueSetUrl, String system, String code) {
    if (system == null || code == null) {
      return false;
    }
    // No display: a different display is not a reason to misfile a record.
    CodeValidationResult result =
        support.validateCode(context, options, system, code, null, valueSetUrl);
    return result != null && result.isOk();
  }
}
