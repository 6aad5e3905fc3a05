package health.secondlook.server.support;

import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.sandbox.SyntheticPatient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The referring EHRs every server test can pull from, started once per test JVM:
 *
 * <ul>
 *   <li>{@value #SANDBOX}: the synthetic cancer patients, searched 5 results a page;
 *   <li>{@value #FLAKY}: its own patients, 30% of requests failing (500, too slow, dropped);
 *   <li>{@value #DOWN}: nothing listening;
 *   <li>{@value #RATE_LIMITED}: answers its first two requests 429 with {@code Retry-After: 1}.
 * </ul>
 */
public final class TestEhrs {

  public static final String SANDBOX = "sandbox";
  public static final String FLAKY = "flaky";
  public static final String DOWN = "down";
  public static final String RATE_LIMITED = "rate-limited";
  public static final int FLAKY_PATIENTS = 6;

  /** A sandbox patient no test pulls to completion first, for the open-referral check. */
  public static final String SPARE_PATIENT = "spare-1";

  /** A complete sandbox patient only the packet tests refer, to inspect its packet. */
  public static final String PACKET_PATIENT = "packet-1";

  /** A complete sandbox patient only the packet tests refer, to pull twice. */
  public static final String PACKET_REPULL_PATIENT = "packet-2";

  /** Operated on, without a discharge summary or a treatment plan; only the packet tests refer. */
  public static final String PACKET_INCOMPLETE_PATIENT = "packet-incomplete-1";

  /** A complete sandbox patient only the signing tests refer, to re-sign a real packet. */
  public static final String SIGNED_PACKET_PATIENT = "signed-1";

  /** A receiving organisation only the turnaround tests address referrals to. */
  public static final String TURNAROUND_RECIPIENT = "turnaround-clinic";

  /** Packets carry attachments up to this size; the sandbox's discharge summaries are larger. */
  public static final int PACKET_MAX_INLINE_BYTES = 128;

  private static TestEhrs instance;

  public final TestEhr sandbox;
  public final TestEhr flaky;
  public final String downBaseUrl;
  public final TestEhr rateLimited;

  private TestEhrs() {
    List<SyntheticPatient> sandboxPatients = new ArrayList<>(SyntheticCancerPatients.all());
    sandboxPatients.add(SyntheticCancerPatients.withVolume(SPARE_PATIENT, 30));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(PACKET_PATIENT, 40));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(PACKET_REPULL_PATIENT, 40));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(SIGNED_PACKET_PATIENT, 40));
    sandboxPatients.add(withoutPlanOrDischarge(PACKET_INCOMPLETE_PATIENT));
    sandbox = TestEhr.start(5, sandboxPatients, null);
    flaky =
        TestEhr.start(
            5, flakyPatients(), new FaultInjection(0.30, Duration.ofMillis(1500), 20261125L));
    downBaseUrl = TestEhr.unreachableBaseUrl();
    rateLimited =
        TestEhr.start(
            5,
            List.of(SyntheticCancerPatients.withVolume("limited-1", 30)),
            new RateLimiting(2, Duration.ofSeconds(1)));
  }

  public static synchronized TestEhrs get() {
    if (instance == null) {
      instance = new TestEhrs();
    }
    return instance;
  }

  public static String flakyPatientId(int i) {
    return "flaky-" + i;
  }

  private static SyntheticPatient withoutPlanOrDischarge(String id) {
    List<String> removed =
        List.of(id + "-care-plan", id + "-discharge-summary", id + "-discharge-summary-text");
    return new SyntheticPatient(
        id,
        "breast",
        false,
        List.of("discharge-summary", "treatment-plan"),
        SyntheticCancerPatients.withVolume(id, 40).resources().stream()
            .filter(r -> !removed.contains(r.getIdElement().getIdPart()))
            .toList());
  }

  private static List<SyntheticPatient> flakyPatients() {
    return new ArrayList<>(
        IntStream.rangeClosed(1, FLAKY_PATIENTS)
            .mapToObj(i -> SyntheticCancerPatients.withVolume(flakyPatientId(i), 40))
            .toList());
  }

  /** SecondLook settings that point at these EHRs, with retry limits short enough for tests. */
  public Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("secondlook.ehrs." + SANDBOX + ".base-url", sandbox.baseUrl());
    p.put("secondlook.ehrs." + FLAKY + ".base-url", flaky.baseUrl());
    p.put("secondlook.ehrs." + FLAKY + ".limits.read-timeout", "1s");
    p.put("secondlook.ehrs." + FLAKY + ".limits.max-attempts", "12");
    p.put("secondlook.ehrs." + FLAKY + ".limits.initial-backoff", "20ms");
    p.put("secondlook.ehrs." + FLAKY + ".limits.max-backoff", "200ms");
    p.put("secondlook.ehrs." + DOWN + ".base-url", downBaseUrl);
    p.put("secondlook.ehrs." + DOWN + ".limits.max-attempts", "3");
    p.put("secondlook.ehrs." + DOWN + ".limits.initial-backoff", "20ms");
    p.put("secondlook.ehrs." + DOWN + ".limits.max-backoff", "100ms");
    p.put("secondlook.ehrs." + RATE_LIMITED + ".base-url", rateLimited.baseUrl());
    p.put("secondlook.ehrs." + RATE_LIMITED + ".limits.initial-backoff", "10ms");
    p.put("secondlook.ehrs." + RATE_LIMITED + ".limits.max-backoff", "5s");
    p.put("secondlook.recipients.tumour-board.display", "Regional sarcoma and breast tumour board");
    p.put("secondlook.recipients." + TURNAROUND_RECIPIENT + ".display", "Turnaround test clinic");
    // Spring Boot's tests switch metrics export off; the turnaround tests read
    // /actuator/prometheus.
    p.put("management.prometheus.metrics.export.enabled", "true");
    p.put("secondlook.pull.poll-interval", "200ms");
    p.put("secondlook.packet.max-inline-attachment-bytes", String.valueOf(PACKET_MAX_INLINE_BYTES));
    return p;
  }
}
