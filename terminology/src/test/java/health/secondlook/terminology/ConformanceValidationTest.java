package health.secondlook.terminology;

import static health.secondlook.terminology.TestTerminology.CTX;
import static health.secondlook.terminology.TestTerminology.RESOURCES;
import static health.secondlook.terminology.TestTerminology.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport.CodeValidationResult;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptReferenceComponent;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every resource must be valid base R4; unknown LOINC or SNOMED CT codes only warn. */
class ConformanceValidationTest {

  private static final Set<ResultSeverityEnum> BLOCKING =
      Set.of(ResultSeverityEnum.ERROR, ResultSeverityEnum.FATAL);

  private static final FhirValidator VALIDATOR =
      CTX.newValidator().registerValidatorModule(new FhirInstanceValidator(SUPPORT));

  static Stream<MetadataResource> resources() {
    return RESOURCES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resources")
  void validatesAgainstBaseR4(MetadataResource resource) {
    assertThat(VALIDATOR.validateWithResult(resource).getMessages())
        .filteredOn(m -> BLOCKING.contains(m.getSeverity()))
        .extracting(ConformanceValidationTest::describe)
        .isEmpty();
  }

  /**
   * The instance validator does not look inside {@code compose.include.concept}, so codes from the
   * code systems that ship with R4 (DICOM, HL7 v2 tables) are checked here, display included.
   */
  @Test
  void enumeratedCodesExistWithTheirDisplayWhereTheCodeSystemIsAvailable() {
    ValidationSupportContext context = new ValidationSupportContext(SUPPORT);
    Map<String, String> problems = new HashMap<>();
    Set<String> checked = new HashSet<>(); // system|code pairs, to prove the check did run
    RESOURCES.stream()
        .filter(ValueSet.class::isInstance)
        .map(ValueSet.class::cast)
        .flatMap(vs -> vs.getCompose().getInclude().stream())
        .filter(include -> SUPPORT.isCodeSystemSupported(context, include.getSystem()))
        .forEach(
            include -> {
              for (ConceptReferenceComponent concept : include.getConcept()) {
                String key = include.getSystem() + "|" + concept.getCode();
                checked.add(key);
                problem(context, include, concept).ifPresent(p -> problems.put(key, p));
              }
            });

    assertThat(problems).isEmpty();
    assertThat(checked)
        .contains(
            "http://dicom.nema.org/resources/ontology/DCM|CT",
            "http://terminology.hl7.org/CodeSystem/v2-0487|TISS");
  }

  private static Optional<String> problem(
      ValidationSupportContext context,
      ConceptSetComponent include,
      ConceptReferenceComponent concept) {
    CodeValidationResult result =
        SUPPORT.validateCode(
            context,
            new ConceptValidationOptions(),
            include.getSystem(),
            concept.getCode(),
            null,
            null);
    if (result == null || !result.isOk()) {
      return Optional.of("unknown code");
    }
    if (!concept.getDisplay().equals(result.getDisplay())) {
      return Optional.of("display should be '" + result.getDisplay() + "'");
    }
    return Optional.empty();
  }

  private static String describe(SingleValidationMessage m) {
    return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
  }
}
