package health.secondlook.server.referral;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.SecondLookApplication;
import health.secondlook.server.support.FaultInjection;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.TestDataDirectories;
import health.secondlook.server.support.TestEhr;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SecondLook stops while a pull is under way (the EHR failing every request) and starts again once
 * the EHR recovers: the pull resumes and finishes, once.
 */
class PullRestartTest {

  @Test
  void restartDuringAPullResumesItWithoutLosingOrDuplicatingTheReferral() {
    FaultInjection faults = new FaultInjection(1.0, Duration.ofMillis(300), 7L);
    TestEhr ehr =
        TestEhr.start(5, List.of(SyntheticCancerPatients.withVolume("restart-1", 40)), faults);
    List<String> arguments = new ArrayList<>();
    TestEhrs.get().properties().forEach((k, v) -> arguments.add("--" + k + "=" + v));
    arguments.addAll(
        List.of(
            "--server.port=0",
            "--secondlook.data-dir=" + TestDataDirectories.fresh(),
            "--secondlook.ehrs.restart.base-url=" + ehr.baseUrl(),
            "--secondlook.ehrs.restart.limits.read-timeout=1s",
            "--secondlook.ehrs.restart.limits.max-attempts=1000",
            "--secondlook.ehrs.restart.limits.initial-backoff=50ms",
            "--secondlook.ehrs.restart.limits.max-backoff=200ms",
            "--secondlook.signing.generate-demo-keys=true"));

    String taskId;
    try (ConfigurableApplicationContext first = start(arguments)) {
      IGenericClient fhir = client(first);
      taskId = task(submit(fhir, request("restart", "restart-1", "restart-request"))).getIdPart();
      await().atMost(Duration.ofSeconds(30)).until(() -> faults.requests() > 20);
      assertThat(progress(fhir.read().resource(Task.class).withId(taskId).execute()))
          .isEqualTo("pulling");
    }

    faults.setFailureRate(0);
    try (ConfigurableApplicationContext second = start(arguments)) {
      IGenericClient fhir = client(second);
      Task done = awaitPullEnd(fhir, taskId, Duration.ofSeconds(60));

      assertThat(progress(done)).isEqualTo("records-complete");
      assertThat(done.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
      Bundle serviceRequests =
          fhir.search()
              .forResource(ServiceRequest.class)
              .where(
                  ServiceRequest.IDENTIFIER
                      .exactly()
                      .systemAndCode("https://referrer.example.org/requests", "restart-request"))
              .returnBundle(Bundle.class)
              .execute();
      assertThat(serviceRequests.getEntry()).hasSize(1);
      ListResource pulled =
          fhir.read().resource(ListResource.class).withId("pulled-" + taskId).execute();
      assertThat(pulled.getEntry()).isNotEmpty();
    }
  }

  private static ConfigurableApplicationContext start(List<String> arguments) {
    return new SpringApplicationBuilder(SecondLookApplication.class)
        .run(arguments.toArray(String[]::new));
  }

  private static IGenericClient client(ConfigurableApplicationContext context) {
    return FhirClients.client(
        "http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/fhir");
  }
}
