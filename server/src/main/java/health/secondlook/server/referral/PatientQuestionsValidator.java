package health.secondlook.server.referral;

import static health.secondlook.terminology.TerminologyContent.PATIENT_QUESTIONNAIRE;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import health.secondlook.server.terminology.SiteContent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.springframework.stereotype.Component;

/**
 * Checks the patient's questions against the project's Questionnaire with HAPI's validator, so the
 * specialist receives questions they can answer one by one (by {@code linkId}).
 *
 * <p>The validator has its own, fixed content (base R4 and the site's terminology), not the JPA
 * server's validation support: that one is rebuilt whenever stored conformance resources change
 * (e.g. a SearchParameter reindexed at start-up), and a referral validated at that moment was seen
 * to fail with "unknown resource name 'QuestionnaireResponse'".
 */
@Component
class PatientQuestionsValidator {

  private final FhirValidator validator;

  PatientQuestionsValidator(SiteContent content) {
    FhirContext context = FhirContext.forR4Cached();
    PrePopulatedValidationSupport site = new PrePopulatedValidationSupport(context);
    Map<String, Questionnaire> questionnaires = new HashMap<>();
    for (MetadataResource resource : content.terminology()) {
      if (resource instanceof Questionnaire questionnaire) {
        questionnaires.put(questionnaire.getUrl(), questionnaire);
      } else {
        site.addResource(resource);
      }
    }
    ValidationSupportChain support =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(context),
            site,
            new SiteQuestionnaires(context, questionnaires),
            new InMemoryTerminologyServerValidationSupport(context),
            new CommonCodeSystemsTerminologyService(context),
            new SnapshotGeneratingValidationSupport(context));
    this.validator =
        context.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
  }

  /**
   * Human-readable problems; empty when the questions can be used. One at a time: HAPI's instance
   * validator is not made for concurrent first use.
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

  /** The site's Questionnaires, by canonical URL, for the validator to check answers against. */
  private record SiteQuestionnaires(FhirContext context, Map<String, Questionnaire> byUrl)
      implements IValidationSupport {

    @Override
    public FhirContext getFhirContext() {
      return context;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
      Questionnaire questionnaire = byUrl.get(url);
      return questionnaire != null && (type == null || type.isInstance(questionnaire))
          ? (T) questionnaire
          : null;
    }
  }
}
