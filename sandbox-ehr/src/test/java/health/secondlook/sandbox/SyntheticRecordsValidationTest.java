package health.secondlook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every synthetic resource is valid against the base FHIR R4 definitions. */
class SyntheticRecordsValidationTest {

  private static FhirValidator validator;

  @BeforeAll
  static void createValidator() {
    FhirContext context = FhirContext.forR4Cached();
    ValidationSupportChain support =
        new ValidationSupportChain(
            context.getValidationSupport(),
            new InMemoryTerminologyServerValidationSupport(context),
            new CommonCodeSystemsTerminologyService(context));
    validator = context.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
  }

  @Test
  void allResourcesAreValidR4() {
    List<Resource> resources =
        Stream.concat(
                SyntheticCancerPatients.directory().stream(),
                Stream.concat(
                        SyntheticCancerPatients.all().stream(),
                        Stream.of(SyntheticCancerPatients.withVolume("volume-1", 120)))
                    .flatMap(patient -> patient.resources().stream()))
            .toList();
    List<String> errors =
        resources.stream()
            .flatMap(
                resource ->
                    validator.validateWithResult(resource).getMessages().stream()
                        .filter(
                            message ->
                                message.getSeverity().ordinal()
                                    >= ResultSeverityEnum.ERROR.ordinal())
                        .map(
                            message ->
                                SyntheticCancerPatientsTest.key(resource)
                                    + ": "
                                    + describe(message)))
            .toList();
    assertThat(errors).isEmpty();
  }

  private static String describe(SingleValidationMessage message) {
    return message.getLocationString() + " " + message.getMessage();
  }
}
