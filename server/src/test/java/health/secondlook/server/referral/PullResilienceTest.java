package health.secondlook.server.referral;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.support.FaultInjection;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.RateLimiting;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Faults on the EHR's side are survived, or end in a visible failure a person can act on. */
@H2ServerTest
class PullResilienceTest {

  @LocalServerPort int port;

  IGenericClient secondLook() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }

  @Test
  void everyReferralCompletesOnceWhenAThirdOfEhrRequestsFail() {
    // Each referral is sent twice at the same moment, as a retrying client would.
    List<CompletableFuture<Parameters>> submissions =
        IntStream.rangeClosed(1, TestEhrs.FLAKY_PATIENTS)
            .boxed()
            .flatMap(
                i -> {
                  Parameters request =
                      request(TestEhrs.FLAKY, TestEhrs.flakyPatientId(i), "flaky-request-" + i);
                  return java.util.stream.Stream.of(request, request);
                })
            .map(r -> CompletableFuture.supplyAsync(() -> submit(secondLook(), r)))
            .toList();
    List<Task> tasks = submissions.stream().map(CompletableFuture::join).map(r -> task(r)).toList();

    for (int i = 1; i <= TestEhrs.FLAKY_PATIENTS; i++) {
      Bundle serviceRequests =
          secondLook()
              .search()
              .forResource(ServiceRequest.class)
              .where(
                  ServiceRequest.IDENTIFIER
                      .exactly()
                      .systemAndCode("https://referrer.example.org/requests", "flaky-request-" + i))
              .returnBundle(Bundle.class)
              .execute();
      assertThat(serviceRequests.getEntry()).as("referral %d", i).hasSize(1);
    }
    assertThat(tasks.stream().map(Task::getIdPart).distinct()).hasSize(TestEhrs.FLAKY_PATIENTS);
    for (Task task : tasks) {
      Task done = awaitPullEnd(secondLook(), task.getIdPart(), Duration.ofSeconds(150));
      assertThat(progress(done))
          .as(done.getBusinessStatus().getText())
          .isEqualTo("records-complete");
      ListResource pulled =
          secondLook()
              .read()
              .resource(ListResource.class)
              .withUrl(RecordsPullTest.output(done, "pulled-records"))
              .execute();
      List<String> pulledReferences =
          pulled.getEntry().stream().map(e -> e.getItem().getReference()).toList();
      String patient =
          ((org.hl7.fhir.r4.model.StringType) done.getInput().get(1).getValue()).getValue();
      List<String> expected =
          SyntheticCancerPatients.withVolume(patient, 40).resources().stream()
              .filter(PullResilienceTest::pulledByTheDefaultMapping)
              .map(r -> r.fhirType() + "/flaky-" + r.getIdPart())
              .toList();
      assertThat(pulledReferences).containsAll(expected).doesNotHaveDuplicates();
    }
    assertThat(TestEhrs.get().flaky.<FaultInjection>faults().injected()).isGreaterThan(10);
  }

  @Test
  void retryAfterFromTheEhrIsHonoured() {
    Task task = task(submit(secondLook(), request(TestEhrs.RATE_LIMITED, "limited-1")));

    Task done = awaitPullEnd(secondLook(), task.getIdPart(), Duration.ofSeconds(60));

    assertThat(progress(done)).isEqualTo("records-complete");
    List<RateLimiting.Arrival> arrivals =
        TestEhrs.get().rateLimited.<RateLimiting>faults().arrivals();
    // The pull's refused request was retried only after the second the EHR asked for, although
    // the configured backoff is 10 ms.
    RateLimiting.Arrival refused =
        arrivals.stream().filter(RateLimiting.Arrival::refused).reduce((a, b) -> b).orElseThrow();
    RateLimiting.Arrival retried =
        arrivals.stream()
            .filter(
                a ->
                    !a.refused() && a.uri().equals(refused.uri()) && a.millis() >= refused.millis())
            .findFirst()
            .orElseThrow();
    assertThat(retried.millis() - refused.millis()).isGreaterThanOrEqualTo(950);
  }

  /** The default mapping leaves encounters and vital signs at the EHR. */
  private static boolean pulledByTheDefaultMapping(org.hl7.fhir.r4.model.Resource resource) {
    if (resource instanceof org.hl7.fhir.r4.model.Encounter) {
      return false;
    }
    return !(resource instanceof org.hl7.fhir.r4.model.Observation observation)
        || observation.getCategory().stream()
            .flatMap(c -> c.getCoding().stream())
            .noneMatch(c -> c.getCode().equals("vital-signs"));
  }

  @Test
  void ehrDownForGoodEndsFailedWithAReasonAPersonCanActOn() {
    Task task = task(submit(secondLook(), request(TestEhrs.DOWN, "anyone")));

    Task done = awaitPullEnd(secondLook(), task.getIdPart(), Duration.ofSeconds(60));

    assertThat(done.getStatus()).isEqualTo(Task.TaskStatus.FAILED);
    assertThat(progress(done)).isEqualTo("pull-failed");
    assertThat(done.getStatusReason().getText())
        .contains("EHR '" + TestEhrs.DOWN + "'")
        .contains(task.getFocus().getReference())
        .containsIgnoringCase("connect")
        .contains("$rerun-pull");
  }
}
