package health.secondlook.server.writeback;

import static health.secondlook.server.support.FhirClients.search;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.writeback.WriteBackTest.CONSULT_NOTE;
import static health.secondlook.server.writeback.WriteBackTest.awaitWriteBack;
import static health.secondlook.server.writeback.WriteBackTest.pulled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.SecondLookApplication;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.TestDataDirectories;
import health.secondlook.server.support.TestEhr;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SecondLook stops halfway through a write-back (the EHR took the consult note, then failed every
 * write) and starts again once the EHR recovers: the write-back resumes and the EHR ends with one
 * consult note, one summary and one Task.
 */
class WriteBackRestartTest {

  @Test
  void restartHalfwayThroughAWriteBackResumesItWithoutASecondCopy() {
    WritesFailing faults = new WritesFailing();
    TestEhr ehr =
        TestEhr.start(
            5, List.of(SyntheticCancerPatients.withVolume("restart-writeback-1", 30)), faults);
    List<String> arguments = new ArrayList<>();
    TestEhrs.get().properties().forEach((k, v) -> arguments.add("--" + k + "=" + v));
    arguments.addAll(
        List.of(
            "--server.port=0",
            "--secondlook.data-dir=" + TestDataDirectories.fresh(),
            "--secondlook.ehrs.restart.base-url=" + ehr.baseUrl(),
            "--secondlook.ehrs.restart.limits.max-attempts=1000",
            "--secondlook.ehrs.restart.limits.initial-backoff=50ms",
            "--secondlook.ehrs.restart.limits.max-backoff=200ms",
            "--secondlook.signing.generate-demo-keys=true"));
    IGenericClient atEhr = FhirClients.client(ehr.baseUrl());

    String taskId;
    try (ConfigurableApplicationContext first = start(arguments)) {
      IGenericClient fhir = client(first);
      taskId = pulled(fhir, "restart", "restart-writeback-1").getIdPart();
      faults.allowWrites(1);
      new ReviewSubmissions(fhir).submit(taskId, ReviewSubmissions.review("3000000001"));
      await().atMost(Duration.ofSeconds(30)).until(() -> faults.refused() > 5);
      assertThat(progress(fhir.read().resource(Task.class).withId(taskId).execute()))
          .isEqualTo("write-back-queued");
      assertThat(search(atEhr, DocumentReference.class, "type=" + CONSULT_NOTE)).hasSize(1);
    }

    faults.allowWrites(Integer.MAX_VALUE);
    try (ConfigurableApplicationContext second = start(arguments)) {
      Task done = awaitWriteBack(client(second), taskId);

      assertThat(progress(done)).as(done.getBusinessStatus().getText()).isEqualTo("written-back");
      assertThat(done.getBusinessStatus().getText()).contains("already there");
      assertThat(search(atEhr, DocumentReference.class, "type=" + CONSULT_NOTE)).hasSize(1);
      assertThat(search(atEhr, DiagnosticReport.class, "code=" + CONSULT_NOTE)).hasSize(1);
      assertThat(search(atEhr, Task.class, "patient=restart-writeback-1")).hasSize(1);
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

  /** Lets reads through always, and writes (POST, PUT) only up to a number; then 503. */
  static final class WritesFailing extends Handler.Wrapper {
    private volatile int allowed = Integer.MAX_VALUE;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    void allowWrites(int count) {
      writes.set(0);
      allowed = count;
    }

    int refused() {
      return refused.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      boolean write = request.getMethod().equals("POST") || request.getMethod().equals("PUT");
      if (!write || writes.incrementAndGet() <= allowed) {
        return super.handle(request, response, callback);
      }
      refused.incrementAndGet();
      Response.writeError(request, response, callback, 503, "EHR failing writes");
      return true;
    }
  }
}
