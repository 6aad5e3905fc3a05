package health.secondlook.server.referral;

import static health.secondlook.server.support.Referrals.request;
import static org.assertj.core.api.Assertions.assertThat;

import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.Referrals;
import health.secondlook.server.support.TestEhrs;
import health.secondlook.server.support.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A request SecondLook cannot act on is refused with a 4xx naming the problem, storing nothing; one
 * with the required parameters alone is a referral.
 */
@H2ServerTest
class ReferralInputTest {

  @LocalServerPort int port;

  @Test
  void withoutAnyParameterTheFourRequiredOnesAreNamed() throws Exception {
    OperationOutcome outcome = refusal(new Parameters(), 400);

    assertThat(outcome.getIssue())
        .extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
        .containsExactlyInAnyOrder(
            "source: is required",
            "patient: is required",
            "reason: is required",
            "requester: is required");
  }

  @Test
  void aReferralWithoutQuestionsOrStartDateIsAcceptedAndHasNoDueDate() {
    Parameters request =
        Referrals.withoutQuestionsOrStartDate(
            request(TestEhrs.SANDBOX, TestEhrs.MINIMAL_REFERRAL_PATIENT));
    request.getParameter().removeIf(p -> p.getName().equals("priority"));

    Parameters response = Referrals.submit(FhirClients.client(base()), request);

    ServiceRequest referral = Referrals.serviceRequest(response);
    Task task = Referrals.task(response);
    assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
    assertThat(referral.getReasonCodeFirstRep().getText())
        .isEqualTo("Confirm stage and adjuvant plan");
    assertThat(referral.getSupportingInfo())
        .as("no patient's questions")
        .noneMatch(r -> r.getReference().startsWith("QuestionnaireResponse/"));
    assertThat(referral.hasOccurrence()).as("no date treatment must start by").isFalse();
    assertThat(task.hasRestriction()).as("no due date").isFalse();
    assertThat(referral.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
    assertThat(task.getPriority()).isEqualTo(Task.TaskPriority.ROUTINE);
  }

  @Test
  void unknownEhrIsNamed() throws Exception {
    assertRefused(
        request("no-such-ehr", SyntheticCancerPatients.BREAST), 400, "no EHR named 'no-such-ehr'");
  }

  @Test
  void patientTheEhrDoesNotHaveIsNamed() throws Exception {
    assertRefused(
        request(TestEhrs.SANDBOX, "nobody-here"), 400, "no patient with id 'nobody-here'");
  }

  @Test
  void questionsForAnotherQuestionnaireAreRefused() throws Exception {
    assertRefused(
        with(p -> questions(p).setQuestionnaire("http://example.org/Questionnaire/other")),
        400,
        "questionnaire must be");
  }

  @Test
  void questionsWithAnUnknownItemAreRefused() throws Exception {
    assertRefused(
        with(
            p ->
                questions(p)
                    .addItem()
                    .setLinkId("horoscope")
                    .addAnswer()
                    .setValue(new BooleanType(true))),
        400,
        "horoscope");
  }

  @Test
  void questionsThatAreNotAQuestionnaireResponseAreRefused() throws Exception {
    assertRefused(
        with(
            p ->
                p.getParameter().stream()
                    .filter(x -> x.getName().equals("questions"))
                    .findFirst()
                    .orElseThrow()
                    .setResource(new Patient())),
        400,
        "questions: must be a QuestionnaireResponse");
  }

  @Test
  void dueDateInThePastIsRefused() throws Exception {
    String past = LocalDate.now().minusDays(3).toString();
    assertRefused(
        with(
            p ->
                p.getParameter().stream()
                    .filter(x -> x.getName().equals("treatmentStartBy"))
                    .findFirst()
                    .orElseThrow()
                    .setValue(new DateType(past))),
        400,
        past + " is in the past");
  }

  @Test
  void unknownPriorityIsRefused() throws Exception {
    assertRefused(
        with(
            p ->
                p.getParameter().stream()
                    .filter(x -> x.getName().equals("priority"))
                    .findFirst()
                    .orElseThrow()
                    .setValue(new StringType("whenever"))),
        400,
        "'whenever' is not one of routine, urgent, asap, stat");
  }

  @Test
  void secondOpenReferralForTheSamePatientIsReportedNotDuplicated() throws Exception {
    String existing =
        Referrals.task(
                Referrals.submit(
                    FhirClients.client(base()), request(TestEhrs.SANDBOX, TestEhrs.SPARE_PATIENT)))
            .getIdElement()
            .toUnqualifiedVersionless()
            .getValue();

    assertRefused(request(TestEhrs.SANDBOX, TestEhrs.SPARE_PATIENT), 409, existing);
  }

  private static Parameters with(Consumer<Parameters> change) {
    Parameters parameters = request(TestEhrs.SANDBOX, SyntheticCancerPatients.LUNG);
    change.accept(parameters);
    return parameters;
  }

  private static QuestionnaireResponse questions(Parameters parameters) {
    return (QuestionnaireResponse)
        parameters.getParameter().stream()
            .filter(x -> x.getName().equals("questions"))
            .findFirst()
            .orElseThrow()
            .getResource();
  }

  private String base() {
    return "http://localhost:" + port + "/fhir";
  }

  private void assertRefused(Parameters request, int status, String named) throws Exception {
    OperationOutcome outcome = refusal(request, status);
    assertThat(outcome.getIssue()).anySatisfy(i -> assertThat(i.getDiagnostics()).contains(named));
  }

  private OperationOutcome refusal(Parameters request, int status) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                TestIssuer.asOperator(
                        URI.create(base() + "/ServiceRequest/$request-second-opinion"))
                    .header("Content-Type", "application/fhir+json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            FhirClients.R4.newJsonParser().encodeResourceToString(request)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return FhirClients.R4.newJsonParser().parseResource(OperationOutcome.class, response.body());
  }
}
