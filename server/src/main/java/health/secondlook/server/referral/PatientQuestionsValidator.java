package health.secondlook.server.referral;

import static health.secondlook.terminology.TerminologyContent.PATIENT_QUESTIONNAIRE;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.List;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.springframework.stereotype.Component;

/**
 * Checks the patient's questions against the project's Questionnaire with HAPI's validator, so the
 * specialist receives questions they can answer one by one (by {@code linkId}).
 */
@Component
class PatientQuestionsValidator {

  private final FhirValidator validator;

  PatientQuestionsValidator(FhirContext fhirContext, IValidatorModule instanceValidator) {
    this.validator = fhirContext.newValidator().registerValidatorModule(instanceValidator);
  }

  /**
   * Human-readable problems; empty when the questions can be used. One at a time: concurrent first
   * use of HAPI's instance validator was seen to fail to recognise the resource type.
   */
  synchronized List<String> problems(QuestionnaireResponse questions) {
    String questionnaire = questions.getQuestionnaire();
    if (!PATIENT_QUESTIONNAIRE.equals(questionnaire)) {
      return List.of(
          "questionnaire must be %s, not %s".formatted(PATIENT_QUESTIONNAIRE, questionnaire));
    }
    return validator.validateWithResult(questions).getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
        .map(m -> m.getLocationString() + ": " + m.getMessage())
        .toList();
  }
}
