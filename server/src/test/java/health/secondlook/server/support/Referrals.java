package health.secondlook.server.support;

import static health.secondlook.terminology.TerminologyContent.PATIENT_QUESTIONNAIRE;
import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/** Builds second-opinion requests the way a referring team's system would, and waits on them. */
public final class Referrals {

  private Referrals() {}

  /** A valid request; tests change one parameter to make it invalid. */
  public static Parameters request(String source, String patient, String requestId) {
    Parameters parameters = new Parameters();
    parameters.addParameter("source", new StringType(source));
    parameters.addParameter("patient", new StringType(patient));
    parameters.addParameter("reason", new StringType("Confirm stage and adjuvant plan"));
    parameters.addParameter().setName("questions").setResource(questions());
    parameters.addParameter("priority", new CodeType("urgent"));
    parameters.addParameter(
        "treatmentStartBy", new DateType(LocalDate.now().plusDays(21).toString()));
    parameters.addParameter(
        "requester",
        new Identifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1234567893"));
    parameters.addParameter("recipient", new StringType("tumour-board"));
    parameters.addParameter(
        "requestIdentifier",
        new Identifier().setSystem("https://referrer.example.org/requests").setValue(requestId));
    return parameters;
  }

  public static Parameters request(String source, String patient) {
    return request(source, patient, UUID.randomUUID().toString());
  }

  /** A valid request without the patient's questions and without a treatment start date. */
  public static Parameters withoutQuestionsOrStartDate(Parameters request) {
    request
        .getParameter()
        .removeIf(p -> p.getName().equals("questions") || p.getName().equals("treatmentStartBy"));
    return request;
  }

  public static QuestionnaireResponse questions() {
    QuestionnaireResponse questions = new QuestionnaireResponse();
    questions.setQuestionnaire(PATIENT_QUESTIONNAIRE);
    questions.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
    questions.addItem().setLinkId("diagnosis-clear").addAnswer().setValue(new BooleanType(true));
    questions.addItem().setLinkId("treatment-timing").addAnswer().setValue(new BooleanType(true));
    questions
        .addItem()
        .setLinkId("own-questions")
        .addAnswer()
        .setValue(new StringType("Can I keep working during treatment?"));
    return questions;
  }

  public static Parameters submit(IGenericClient fhir, Parameters request) {
    return fhir.operation()
        .onType(ServiceRequest.class)
        .named("$request-second-opinion")
        .withParameters(request)
        .execute();
  }

  public static Task task(Parameters response) {
    return (Task)
        response.getParameter().stream()
            .filter(p -> p.getName().equals("task"))
            .findFirst()
            .orElseThrow()
            .getResource();
  }

  public static ServiceRequest serviceRequest(Parameters response) {
    return (ServiceRequest)
        response.getParameter().stream()
            .filter(p -> p.getName().equals("serviceRequest"))
            .findFirst()
            .orElseThrow()
            .getResource();
  }

  public static String progress(Task task) {
    return task.getBusinessStatus().getCoding().stream()
        .filter(c -> REFERRAL_PROGRESS_SYSTEM.equals(c.getSystem()))
        .map(c -> c.getCode())
        .findFirst()
        .orElse("");
  }

  /** Waits until the referral's pull has ended one way or another, and returns its Task. */
  public static Task awaitPullEnd(IGenericClient fhir, String taskId, Duration atMost) {
    return awaitPullEnd(fhir, taskId, atMost, Duration.ofMillis(200));
  }

  public static Task awaitPullEnd(
      IGenericClient fhir, String taskId, Duration atMost, Duration pollInterval) {
    Set<String> ends = Set.of("records-complete", "records-incomplete", "pull-failed");
    return await()
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(pollInterval)
        .until(
            () -> fhir.read().resource(Task.class).withId(taskId).execute(),
            t -> ends.contains(progress(t)));
  }

  /** Waits until the referral's Task shows {@code progress}, and returns it. */
  public static Task awaitProgress(
      IGenericClient fhir, String taskId, String progress, Duration atMost) {
    return await()
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> fhir.read().resource(Task.class).withId(taskId).execute(),
            t -> progress.equals(progress(t)));
  }
}
