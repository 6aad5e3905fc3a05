package health.secondlook.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.sandbox.recipient.SandboxRecipientSystem;
import health.secondlook.server.ehr.EhrClients;
import health.secondlook.server.support.DemoServerTest;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.Referrals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The demo a newcomer starts: a sandbox referring EHR with synthetic cancer patients at its own
 * FHIR base URL, beside SecondLook's own API, reached over HTTP like a real EHR, with the SMART
 * Backend Services token SecondLook is configured to get from the sandbox's authorisation server.
 */
@DemoServerTest
class DemoModeTest {

  @LocalServerPort int port;
  @Autowired EhrClients ehrs;
  @Autowired org.springframework.core.env.Environment environment;

  /** The sandbox EHR as SecondLook's pull reaches it: with a Backend Services token. */
  IGenericClient sandbox() {
    return ehrs.client("sandbox");
  }

  /**
   * The README's way into SecondLook's own API in the demo: tools/sandbox-token gets a Backend
   * Services token from the sandbox's authorisation server, which SecondLook trusts as issuer and
   * maps to the demo's operator; without it, a 401.
   */
  @Test
  void theSandboxIssuersTokenFromTheToolOpensSecondLooksApi() throws Exception {
    Process tool =
        new ProcessBuilder(
                "../tools/sandbox-token",
                "http://localhost:" + port,
                environment.getProperty("secondlook.data-dir"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    tool.getOutputStream().close();
    String token = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(tool.waitFor()).isZero();
    URI tasks = URI.create("http://localhost:" + port + "/fhir/Task?_count=1");
    HttpClient http = HttpClient.newHttpClient();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(tasks)
                        .header("Authorization", "Bearer " + token)
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            http.send(HttpRequest.newBuilder(tasks).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void sandboxEhrAnswersNoSearchWithoutAToken() throws Exception {
    HttpResponse<String> anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/sandbox-ehr/fhir/Patient"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    assertThat(anonymous.body()).doesNotContain("Testpatient");
  }

  @Test
  void aReferralIsPulledFromTheSandboxWithABackendServicesToken() {
    IGenericClient secondLook = FhirClients.client("http://localhost:" + port + "/fhir");
    Task task =
        Referrals.task(
            Referrals.submit(
                secondLook, Referrals.request("sandbox", SyntheticCancerPatients.LUNG)));

    // The sandbox refuses anonymous calls, so a delivered packet means every search carried a
    // token.
    Referrals.awaitProgress(
        secondLook, task.getIdElement().getIdPart(), "delivered", Duration.ofSeconds(60));
  }

  @Test
  void sandboxEhrServesItsOwnCapabilityStatement() {
    CapabilityStatement statement =
        sandbox().capabilities().ofType(CapabilityStatement.class).execute();
    assertThat(statement.getSoftware().getName()).isEqualTo("SecondLook sandbox EHR");
  }

  @Test
  void sandboxRecipientTakesDeliveriesBesideTheSandboxEhr() {
    IGenericClient recipient =
        FhirClients.client("http://localhost:" + port + "/sandbox-recipient/fhir");
    assertThat(recipient.capabilities().ofType(CapabilityStatement.class).execute().getTitle())
        .isEqualTo(SandboxRecipientSystem.NAME);
    Task task = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER);
    task.addIdentifier().setSystem("https://referrer.example.org/requests").setValue("demo-test");
    assertThat(recipient.create().resource(task).execute().getCreated()).isTrue();
  }

  @Test
  void sandboxHoldsBreastLungAndColorectalPatientsAndOneIncompleteRecord() {
    List<String> patientIds =
        sandbox()
            .search()
            .forResource(Patient.class)
            .returnBundle(Bundle.class)
            .execute()
            .getEntry()
            .stream()
            .map(e -> e.getResource().getIdElement().getIdPart())
            .toList();

    assertThat(patientIds)
        .contains(
            SyntheticCancerPatients.BREAST,
            SyntheticCancerPatients.LUNG,
            SyntheticCancerPatients.COLORECTAL,
            SyntheticCancerPatients.BREAST_INCOMPLETE);
  }

  @Test
  void eachCompletePatientHasStagedConditionReportsAndImaging() {
    for (String patient :
        List.of(
            SyntheticCancerPatients.BREAST,
            SyntheticCancerPatients.LUNG,
            SyntheticCancerPatients.COLORECTAL)) {
      assertThat(count(DiagnosticReport.class, patient)).as(patient).isGreaterThanOrEqualTo(3);
      assertThat(count(ImagingStudy.class, patient)).as(patient).isGreaterThanOrEqualTo(1);
      Bundle conditions =
          sandbox()
              .search()
              .forResource(Condition.class)
              .where(Condition.PATIENT.hasId(patient))
              .returnBundle(Bundle.class)
              .execute();
      assertThat(conditions.getEntry())
          .as(patient)
          .anySatisfy(e -> assertThat(((Condition) e.getResource()).hasStage()).isTrue());
    }
  }

  private int count(Class<? extends org.hl7.fhir.r4.model.Resource> type, String patient) {
    return sandbox()
        .search()
        .forResource(type)
        .where(new ca.uhn.fhir.rest.gclient.ReferenceClientParam("patient").hasId(patient))
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .size();
  }
}
