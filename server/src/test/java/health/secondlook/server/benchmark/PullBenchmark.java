package health.secondlook.server.benchmark;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.SecondLookApplication;
import health.secondlook.server.fhir.TransactionEntries;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.TestDataDirectories;
import health.secondlook.server.support.TestIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark, not a test: {@code tools/benchmark-pull}. A HAPI FHIR JPA server on loopback plays the
 * referring EHR, holding patients of about 600 resources each. In one run it times, per patient:
 * SecondLook's pull (request to completed pull, records stored and assessed); the same EHR's {@code
 * Patient/$everything}, all pages; and the floor, plain parallel per-type searches of the patient,
 * all pages, with {@code Cache-Control: no-cache}. It prints medians and ratios.
 */
@EnabledIfSystemProperty(named = "secondlook.benchmark", matches = "true")
class PullBenchmark {

  private static final int RESOURCES = 600;
  private static final int ROUNDS = Integer.getInteger("secondlook.benchmark.rounds", 5);
  private static final List<String> TYPES =
      List.of(
          "Condition",
          "Observation",
          "DiagnosticReport",
          "ImagingStudy",
          "CarePlan",
          "MedicationRequest",
          "Procedure",
          "DocumentReference",
          "Specimen",
          "Encounter");

  @Test
  void pullVersusEverythingVersusParallelSearches() {
    try (ConfigurableApplicationContext ehrApp = start("--server.port=0")) {
      String ehrBase = base(ehrApp);
      IGenericClient ehr = FhirClients.client(ehrBase);
      load(ehr, SyntheticCancerPatients.directory());
      for (int i = 0; i <= ROUNDS; i++) {
        load(ehr, SyntheticCancerPatients.withVolume(patient(i), RESOURCES).resources());
      }
      try (ConfigurableApplicationContext secondLookApp =
          start(
              "--server.port=0",
              "--secondlook.ehrs.bench.base-url=" + ehrBase,
              "--secondlook.recipients.tumour-board.display=Benchmark board",
              "--secondlook.pull.poll-interval=50ms",
              "--logging.level.health.secondlook.server.pull.PullRunner=INFO")) {
        IGenericClient secondLook = FhirClients.client(base(secondLookApp));
        long[] pull = new long[ROUNDS];
        long[] everything = new long[ROUNDS];
        long[] floor = new long[ROUNDS];
        time(() -> pull(secondLook, patient(0))); // warm-up: JIT, connection pools, caches
        time(() -> everything(ehr, patient(0)));
        time(() -> parallelSearches(ehr, patient(0)));
        int pulled = 0;
        for (int i = 1; i <= ROUNDS; i++) {
          String patient = patient(i);
          everything[i - 1] = time(() -> everything(ehr, patient));
          floor[i - 1] = time(() -> parallelSearches(ehr, patient));
          pull[i - 1] = time(() -> pull(secondLook, patient));
          pulled = everything(ehr, patient);
        }
        report(pulled, pull, everything, floor);
      }
    }
  }

  private static int pull(IGenericClient secondLook, String patient) {
    Parameters response = submit(secondLook, request("bench", patient));
    Task done =
        awaitPullEnd(
            secondLook, task(response).getIdPart(), Duration.ofMinutes(5), Duration.ofMillis(10));
    if (progress(done).equals("pull-failed")) {
      throw new IllegalStateException(done.getStatusReason().getText());
    }
    return 0;
  }

  /** The EHR's {@code Patient/$everything}, all pages: the baseline both benchmarks time. */
  static int everything(IGenericClient ehr, String patient) {
    Bundle page =
        ehr.operation()
            .onInstance("Patient/" + patient)
            .named("$everything")
            .withNoParameters(Parameters.class)
            .returnResourceType(Bundle.class)
            .withAdditionalHeader("Cache-Control", "no-cache")
            .execute();
    return countAllPages(ehr, page);
  }

  private static int parallelSearches(IGenericClient ehr, String patient) {
    List<CompletableFuture<Integer>> searches =
        TYPES.stream()
            .map(
                type ->
                    CompletableFuture.supplyAsync(
                        () ->
                            countAllPages(
                                ehr,
                                ehr.search()
                                    .forResource(type)
                                    .where(new ReferenceClientParam("patient").hasId(patient))
                                    .count(100)
                                    .withAdditionalHeader("Cache-Control", "no-cache")
                                    .returnBundle(Bundle.class)
                                    .execute())))
            .toList();
    return searches.stream().mapToInt(CompletableFuture::join).sum() + 1;
  }

  private static int countAllPages(IGenericClient client, Bundle page) {
    int count = 0;
    while (page != null) {
      count += page.getEntry().size();
      page = page.getLink("next") == null ? null : client.loadPage().next(page).execute();
    }
    return count;
  }

  private static void report(int resources, long[] pull, long[] everything, long[] floor) {
    double p = Medians.of(pull);
    double e = Medians.of(everything);
    double f = Medians.of(floor);
    System.out.printf(
        """

        Pull benchmark: %d rounds, patient of %d resources ($everything returned %d), HAPI FHIR JPA EHR on loopback, %d cores
          SecondLook pull (request -> completed, stored, assessed)  median %7.1f ms   %s
          EHR Patient/$everything, all pages                       median %7.1f ms   %s
          floor: parallel per-type searches, no-cache, all pages    median %7.1f ms   %s
          ratio pull / $everything = %.2f   (target <= 1.0)
          ratio pull / floor       = %.2f   (aim within 2x)
        %n""",
        pull.length,
        RESOURCES,
        resources,
        Runtime.getRuntime().availableProcessors(),
        p,
        Arrays.toString(pull),
        e,
        Arrays.toString(everything),
        f,
        Arrays.toString(floor),
        p / e,
        p / f);
  }

  private static long time(Supplier<Integer> work) {
    long start = System.nanoTime();
    work.get();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void load(IGenericClient ehr, List<Resource> resources) {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    resources.forEach(resource -> TransactionEntries.put(transaction, resource));
    ehr.transaction().withBundle(transaction).execute();
  }

  private static String patient(int i) {
    return "bench-" + i;
  }

  private static ConfigurableApplicationContext start(String... arguments) {
    List<String> all = new ArrayList<>(Arrays.asList(arguments));
    all.add("--secondlook.data-dir=" + TestDataDirectories.fresh());
    all.add("--secondlook.signing.generate-demo-keys=true");
    all.addAll(TestIssuer.get().arguments());
    return new SpringApplicationBuilder(SecondLookApplication.class)
        .run(all.toArray(String[]::new));
  }

  private static String base(ConfigurableApplicationContext app) {
    return "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/fhir";
  }
}
