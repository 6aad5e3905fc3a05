package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport.CodeValidationResult;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import health.secondlook.terminology.TerminologyContent;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.NamingSystem;

/**
 * Answers "is this code in that ValueSet?" for classification and conditions, from the ValueSets
 * themselves rather than from codes written into Java: a site that edits a ValueSet changes what
 * counts as a packet item without recompiling. A code written under another URI for the same code
 * system (the terminology's NamingSystems say which) is checked as if written under the canonical
 * one.
 */
public final class ValueSetCodeCheck {

  private final IValidationSupport support;
  private final ValidationSupportContext context;
  private final ConceptValidationOptions options = new ConceptValidationOptions();
  private final Map<String, String> aliases;

  /** Checks codes with any validation support, e.g. one backed by the server's terminology. */
  public ValueSetCodeCheck(IValidationSupport support) {
    this(support, Map.of());
  }

  /**
   * @param aliases code-system URIs EHRs write (an OID, a local URI) to the canonical URI the
   *     ValueSets use, e.g. from {@link #aliases(Collection)}
   */
  public ValueSetCodeCheck(IValidationSupport support, Map<String, String> aliases) {
    this.support = support;
    this.context = new ValidationSupportContext(support);
    this.aliases = Map.copyOf(aliases);
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
            new CommonCodeSystemsTerminologyService(ctx)),
        aliases(conformanceResources));
  }

  /**
   * The code-system aliases the terminology's NamingSystems declare: every other unique id of a
   * code system (an OID as {@code urn:oid:}, another URI) to its preferred URI. Real EHRs write
   * DICOM modalities under the DICOM OID or Synthea's CID 29 page, and SNOMED CT and LOINC by OID;
   * a ValueSet lists each code once, under its canonical URI.
   *
   * @throws IllegalArgumentException if a code-system NamingSystem has no preferred URI
   */
  public static Map<String, String> aliases(Collection<? extends IBaseResource> resources) {
    Map<String, String> aliases = new HashMap<>();
    for (IBaseResource resource : resources) {
      if (!(resource instanceof NamingSystem names)
          || names.getKind() != NamingSystem.NamingSystemType.CODESYSTEM) {
        continue;
      }
      String canonical =
          names.getUniqueId().stream()
              .filter(id -> id.getType() == NamingSystem.NamingSystemIdentifierType.URI)
              .filter(NamingSystem.NamingSystemUniqueIdComponent::getPreferred)
              .map(NamingSystem.NamingSystemUniqueIdComponent::getValue)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "NamingSystem/" + names.getIdPart() + " has no preferred uri unique id"));
      for (NamingSystem.NamingSystemUniqueIdComponent id : names.getUniqueId()) {
        String value =
            id.getType() == NamingSystem.NamingSystemIdentifierType.OID
                ? "urn:oid:" + id.getValue()
                : id.getValue();
        if (!value.equals(canonical)) {
          aliases.put(value, canonical);
        }
      }
    }
    return aliases;
  }

  /** The canonical URI of a code system written under one of its aliases; others unchanged. */
  public String canonicalSystem(String system) {
    return aliases.getOrDefault(system, system);
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
        support.validateCode(context, options, canonicalSystem(system), code, null, valueSetUrl);
    return result != null && result.isOk();
  }
}
