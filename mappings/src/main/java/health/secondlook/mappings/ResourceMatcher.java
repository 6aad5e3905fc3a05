package health.secondlook.mappings;

import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPath.IParsedExpression;
import health.secondlook.mappings.MappingProfile.Match;
import health.secondlook.mappings.MappingProfile.ResourceTest;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * A {@link ResourceTest} with its FHIRPath parsed once, applied to each pulled resource. Shared by
 * classification and conditions, which test resources the same way.
 */
final class ResourceMatcher {

  private final IFhirPath fhirPath;
  private final ValueSetCodeCheck codes;
  private final Match match;
  private final List<IParsedExpression> codePaths;
  private final String valueSet;
  private final IParsedExpression where;

  private ResourceMatcher(
      IFhirPath fhirPath,
      ValueSetCodeCheck codes,
      Match match,
      List<IParsedExpression> codePaths,
      String valueSet,
      IParsedExpression where) {
    this.fhirPath = fhirPath;
    this.codes = codes;
    this.match = match;
    this.codePaths = codePaths;
    this.valueSet = valueSet;
    this.where = where;
  }

  /**
   * @param what names the test in errors, e.g. {@code r4-default classification[2]}
   * @throws IllegalArgumentException if the test's ValueSet is missing or unknown to {@code codes}
   */
  static ResourceMatcher compile(
      IFhirPath fhirPath, ValueSetCodeCheck codes, ResourceTest test, String what) {
    if (test.match() == Match.CODE
        && (test.valueSet() == null || !codes.hasValueSet(test.valueSet()))) {
      throw new IllegalArgumentException(
          what + " tests codes against ValueSet " + test.valueSet() + ", which is not loaded");
    }
    return new ResourceMatcher(
        fhirPath,
        codes,
        test.match(),
        test.codePaths().stream().map(path -> parse(fhirPath, path, what)).toList(),
        test.valueSet(),
        test.where() == null ? null : parse(fhirPath, test.where(), what));
  }

  boolean matches(IBaseResource resource) {
    if (where != null && !isTrue(fhirPath.evaluate(resource, where, IBase.class))) {
      return false;
    }
    return match == Match.ANY
        || codePaths.stream()
            .flatMap(path -> fhirPath.evaluate(resource, path, IBase.class).stream())
            .flatMap(ResourceMatcher::codings)
            .anyMatch(coding -> codes.contains(valueSet, coding.getSystem(), coding.getCode()));
  }

  /** A choice element such as {@code Observation.value} may hold a non-coded value: skip it. */
  private static Stream<Coding> codings(IBase value) {
    if (value instanceof CodeableConcept concept) {
      return concept.getCoding().stream();
    }
    return value instanceof Coding coding ? Stream.of(coding) : Stream.empty();
  }

  /** FHIRPath's empty result (e.g. comparing an absent status) is not true. */
  private static boolean isTrue(List<IBase> result) {
    return result.size() == 1
        && result.get(0) instanceof IPrimitiveType<?> value
        && Boolean.TRUE.equals(value.getValue());
  }

  static IParsedExpression parse(IFhirPath fhirPath, String expression, String what) {
    try {
      return fhirPath.parse(expression);
    } catch (Exception e) {
      throw new IllegalArgumentException(what + ": cannot parse '" + expression + "'", e);
    }
  }
}
