package health.secondlook.server.signing;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.server.SecondLookApplication;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.TestDataDirectories;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SecondLook started without a signing key, as an operator might: the operations that must sign
 * ({@code $proceed} makes a packet, {@code $submit-review} a feedback document) answer 503 with an
 * OperationOutcome naming the {@code secondlook.signing.*} settings, never a 500, and change
 * nothing. The referrals come from a first start with demo keys on the same data directory.
 */
class SigningKeyMissingTest {

  @Test
  void proceedAndSubmitReviewWithoutAKeyAre503NamingTheSigningSettings() {
    List<String> arguments = new ArrayList<>();
    TestEhrs.get().properties().forEach((k, v) -> arguments.add("--" + k + "=" + v));
    arguments.addAll(
        List.of("--server.port=0", "--secondlook.data-dir=" + TestDataDirectories.fresh()));
    String accepted;
    String incomplete;
    try (ConfigurableApplicationContext withKeys =
        start(arguments, "--secondlook.signing.generate-demo-keys=true")) {
      IGenericClient fhir = client(withKeys);
      accepted = task(submit(fhir, request(TestEhrs.SANDBOX, TestEhrs.SPARE_PATIENT))).getIdPart();
      incomplete =
          task(submit(fhir, request(TestEhrs.SANDBOX, TestEhrs.REVIEW_INCOMPLETE_PATIENT)))
              .getIdPart();
      assertThat(progress(awaitPullEnd(fhir, accepted, Duration.ofSeconds(90))))
          .isEqualTo("records-complete");
      assertThat(progress(awaitPullEnd(fhir, incomplete, Duration.ofSeconds(90))))
          .isEqualTo("records-incomplete");
      Task task = fhir.read().resource(Task.class).withId(accepted).execute();
      fhir.update().resource(task.setStatus(Task.TaskStatus.ACCEPTED)).execute();
    }

    try (ConfigurableApplicationContext keyless =
        start(arguments, "--secondlook.signing.generate-demo-keys=false")) {
      IGenericClient fhir = client(keyless);
      BaseServerResponseException proceed =
          catchThrowableOfType(
              () ->
                  fhir.operation()
                      .onInstance("Task/" + incomplete)
                      .named("$proceed")
                      .withNoParameters(Parameters.class)
                      .execute(),
              BaseServerResponseException.class);
      assertNamesTheSigningSettings(proceed);
      assertThat(progress(fhir.read().resource(Task.class).withId(incomplete).execute()))
          .as("nothing changed")
          .isEqualTo("records-incomplete");

      Parameters review = new Parameters();
      review.addParameter("outcome", new Coding(REVIEW_OUTCOME_SYSTEM, "confirms-plan", null));
      review.addParameter("diagnosisAgreement", new CodeType("agree"));
      review.addParameter(
          "reviewer",
          new Identifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1558444216"));
      BaseServerResponseException submitted =
          catchThrowableOfType(
              () ->
                  fhir.operation()
                      .onInstance("Task/" + accepted)
                      .named("$submit-review")
                      .withParameters(review)
                      .execute(),
              BaseServerResponseException.class);
      assertNamesTheSigningSettings(submitted);
      assertThat(fhir.read().resource(Task.class).withId(accepted).execute().getStatus())
          .isEqualTo(Task.TaskStatus.ACCEPTED);
    }
  }

  private static void assertNamesTheSigningSettings(BaseServerResponseException e) {
    assertThat(e).as("refused").isNotNull();
    assertThat(e.getStatusCode()).isEqualTo(503);
    OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
    assertThat(outcome.getIssueFirstRep().getDiagnostics())
        .contains("secondlook.signing.key-store", "secondlook.signing.key-file")
        .doesNotContain("Exception", "HAPI-0389");
  }

  private static ConfigurableApplicationContext start(List<String> arguments, String signing) {
    List<String> all = new ArrayList<>(arguments);
    all.add(signing);
    return new SpringApplicationBuilder(SecondLookApplication.class)
        .run(all.toArray(String[]::new));
  }

  private static IGenericClient client(ConfigurableApplicationContext context) {
    return FhirClients.client(
        "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/fhir");
  }
}
