package health.secondlook.server.web;

import health.secondlook.server.launch.SignedInUser;
import health.secondlook.terminology.TerminologyContent;
import java.util.Arrays;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Sends the composer's form as {@code $request-second-opinion}, the operation integrators call: the
 * launch's EHR and patient, the signed-in clinician as requester, and the form's submission id as
 * the request identifier, so a form sent twice makes one referral.
 */
@Component
class ReferralRequests {

  private static final String URI = "urn:ietf:rfc:3986";
  static final String OWN_QUESTIONS = "own-questions";

  private final SecondLookApi api;

  ReferralRequests(SecondLookApi api) {
    this.api = api;
  }

  /**
   * @throws ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException with the
   *     OperationOutcome when SecondLook refuses the request
   */
  Task submit(SignedInUser user, ReferralForm form) {
    Parameters parameters = new Parameters();
    parameters.addParameter("source", new StringType(user.partyName()));
    parameters.addParameter("patient", new StringType(user.patientId().orElseThrow()));
    parameters.addParameter("reason", new StringType(form.getReason().strip()));
    QuestionnaireResponse questions = questions(form);
    if (questions.hasItem()) {
      parameters.addParameter().setName("questions").setResource(questions);
    }
    parameters.addParameter("priority", new CodeType(form.getPriority()));
    if (!form.getTreatmentStartBy().isBlank()) {
      parameters.addParameter("treatmentStartBy", new DateType(form.getTreatmentStartBy()));
    }
    parameters.addParameter("requester", new Identifier().setSystem(URI).setValue(user.who()));
    if (!form.getRecipient().isBlank()) {
      parameters.addParameter("recipient", new StringType(form.getRecipient()));
    }
    parameters.addParameter(
        "requestIdentifier",
        new Identifier().setSystem(URI).setValue("urn:uuid:" + form.getSubmission()));
    Parameters response =
        api.client()
            .operation()
            .onType(ServiceRequest.class)
            .named("$request-second-opinion")
            .withParameters(parameters)
            .execute();
    return response.getParameter().stream()
        .filter(p -> p.getResource() instanceof Task)
        .map(p -> (Task) p.getResource())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("$request-second-opinion returned no Task"));
  }

  private static QuestionnaireResponse questions(ReferralForm form) {
    QuestionnaireResponse questions = new QuestionnaireResponse();
    questions.setQuestionnaire(TerminologyContent.PATIENT_QUESTIONNAIRE);
    questions.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
    for (String linkId : form.getQuestions()) {
      questions.addItem().setLinkId(linkId).addAnswer().setValue(new BooleanType(true));
    }
    String[] own =
        Arrays.stream(form.getOwnQuestions().split("\\R"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toArray(String[]::new);
    if (own.length > 0) {
      QuestionnaireResponse.QuestionnaireResponseItemComponent item =
          questions.addItem().setLinkId(OWN_QUESTIONS);
      for (String question : own) {
        item.addAnswer().setValue(new StringType(question));
      }
    }
    return questions;
  }
}
