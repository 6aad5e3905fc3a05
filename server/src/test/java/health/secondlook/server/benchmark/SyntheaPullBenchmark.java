package health.secondlook.server.benchmark;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.SecondLookApplication;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.TestDataDirectories;
import health.secondlook.server.support.TestIssuer;
import health.secondlook.stock.StockHapiServer;
import health.secondlook.stock.SyntheaPatients;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark, not a test: {@code tools/benchmark-synthea-pull}. A stock HAPI FHIR JPA server holds
 * the Synthea patients; for each, in the same run, it times the same server's {@code
 * Patient/$everything} (all pages) and SecondLook's pull from request to records assessed, and
 * prints both with their ratio. The first patient warms both up and is not reported.
 */
@EnabledIfSystemProperty(named = "secondlook.benchmark", matches = "true")
class SyntheaPullBenchmark {

  @Test
  void pullVersusEverythingOnSyntheaPatients() {
    StockHapiServer ehrServer = StockHapiServer.start("benchmark-ehr");
    try {
      List<SyntheaPatients.Loaded> patients = SyntheaPatients.loadInto(ehrServer.baseUrl());
      IGenericClient ehr = FhirClients.client(ehrServer.baseUrl());
      try (ConfigurableApplicationContext app =
          new SpringApplicationBuilder(SecondLookApplication.class)
              .run(
                  java.util.stream.Stream.concat(
                          java.util.stream.Stream.of(
                              "--server.port=0",
                              "--secondlook.data-dir=" + TestDataDirectories.fresh(),
                              "--secondlook.signing.generate-demo-keys=true",
                              "--secondlook.ehrs.stock.base-url=" + ehrServer.baseUrl(),
                              "--secondlook.recipients.tumour-board.display=Benchmark board",
                              "--secondlook.pull.poll-interval=50ms"),
                          TestIssuer.get().arguments().stream())
                      .toArray(String[]::new))) {
        IGenericClient secondLook =
            FhirClients.client(
                "http://localhost:"
                    + app.getEnvironment().getProperty("local.server.port")
                    + "/fhir");
        StringBuilder out = new StringBuilder("Synthea pull benchmark (stock HAPI JPA EHR)\n");
        for (int i = 0; i < patients.size(); i++) {
          SyntheaPatients.Loaded patient = patients.get(i);
          long t0 = System.nanoTime();
          int resources = PullBenchmark.everything(ehr, patient.id());
          long everything = (System.nanoTime() - t0) / 1_000_000;
          t0 = System.nanoTime();
          pull(secondLook, patient.id());
          long pull = (System.nanoTime() - t0) / 1_000_000;
          if (i > 0) {
            out.append(
                "%-40s $everything %5d resources %6d ms | pull to records assessed %6d ms | ratio %.2f%n"
                    .formatted(
                        patient.name(), resources, everything, pull, (double) pull / everything));
          }
        }
        System.out.println(out);
      }
    } finally {
      ehrServer.stop();
    }
  }

  private static void pull(IGenericClient secondLook, String patient) {
    Parameters response = submit(secondLook, request("stock", patient));
    Task done =
        awaitPullEnd(
            secondLook, task(response).getIdPart(), Duration.ofMinutes(5), Duration.ofMillis(10));
    if (progress(done).equals("pull-failed")) {
      throw new IllegalStateException(done.getStatusReason().getText());
    }
  }
}
