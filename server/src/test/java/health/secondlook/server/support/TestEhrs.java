package health.secondlook.server.support;

import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.sandbox.SyntheticPatient;
import health.secondlook.stock.StockHapiServer;
import health.secondlook.stock.SyntheaPatients;
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
 *   <li>{@value #RATE_LIMITED}: answers its first two requests 429 with {@code Retry-After: 1};
 *   <li>{@value #FLAKY_WRITES}: its own patients, behind {@link FaultInjection} that is off until a
 *       write-back test turns it on;
 *   <li>{@value #OUTAGE}: its own patient, behind an {@link Outage} a write-back test switches; its
 *       reviews are written back as one transaction with a Communication ({@link TestMappings}).
 *   <li>{@value #INFORMATION_OUTAGE}: its own patient, behind an {@link Outage} the information
 *       request test switches; information requests are written to it as Communications ({@link
 *       TestMappings}).
 * </ul>
 *
 * <p>And the receiving organisations' servers packets are delivered to: {@link #recipient} (for the
 * recipients {@value #PUSH_TRANSACTION}, {@value #PUSH_MESSAGE} and {@value #NOTIFY_AND_PULL}),
 * {@link #flakyRecipient} ({@value #FLAKY_RECIPIENT}, 30% of requests failing) and nothing at all
 * for {@value #RECIPIENT_DOWN} until a test starts it.
 *
 * <p>And two servers nobody here wrote: {@link #stockEhr} ({@value #STOCK_EHR}), a stock HAPI FHIR
 * JPA server holding the Synthea patients, and {@link #stockRecipient} ({@value #STOCK_RECIPIENT}
 * by transaction, {@value #STOCK_MESSAGE_RECIPIENT} by message), another one, empty.
 */
public final class TestEhrs {

  public static final String SANDBOX = "sandbox";
  public static final String FLAKY = "flaky";
  public static final String DOWN = "down";
  public static final String RATE_LIMITED = "rate-limited";
  public static final int FLAKY_PATIENTS = 6;
  public static final String FLAKY_WRITES = "flaky-writes";
  public static final int FLAKY_WRITES_PATIENTS = 4;
  public static final String OUTAGE = "outage";
  public static final String OUTAGE_PATIENT = "outage-1";

  /** A complete sandbox patient only the write-back tests refer, reviewed and written back. */
  public static final String WRITE_BACK_PATIENT = "writeback-1";

  /** A sandbox patient only the write-back tests refer, never reviewed. */
  public static final String WRITE_BACK_UNREVIEWED_PATIENT = "writeback-unreviewed-1";

  /** A sandbox patient no test pulls to completion first, for the open-referral check. */
  public static final String SPARE_PATIENT = "spare-1";

  /**
   * A sandbox patient only the access tests refer, whose packet other organisations try to read.
   */
  public static final String ACCESS_PATIENT = "access-1";

  /** A sandbox patient only the hostile-request test refers. */
  public static final String HOSTILE_PATIENT = "hostile-1";

  /** A complete sandbox patient only the packet tests refer, to inspect its packet. */
  public static final String PACKET_PATIENT = "packet-1";

  /** A complete sandbox patient only the packet tests refer, to pull twice. */
  public static final String PACKET_REPULL_PATIENT = "packet-2";

  /** Operated on, without a discharge summary or a treatment plan; only the packet tests refer. */
  public static final String PACKET_INCOMPLETE_PATIENT = "packet-incomplete-1";

  /** A complete sandbox patient only the signing tests refer, to re-sign a real packet. */
  public static final String SIGNED_PACKET_PATIENT = "signed-1";

  /** Complete sandbox patients only the review tests refer: accepted, reviewed, asked for more. */
  public static final String REVIEW_PATIENT = "review-1";

  public static final String REVIEW_RULES_PATIENT = "review-2";
  public static final String REVIEW_INFORMATION_PATIENT = "review-info-1";

  /** Complete; referred without questions or start date, and reviewed, by the review tests. */
  public static final String REVIEW_NO_QUESTIONS_PATIENT = "review-no-questions-1";

  /** Complete; referred with only the required parameters by the referral input tests. */
  public static final String MINIMAL_REFERRAL_PATIENT = "minimal-1";

  /** A complete sandbox patient only the information-request write-back tests refer. */
  public static final String INFORMATION_WRITE_BACK_PATIENT = "info-writeback-1";

  public static final String INFORMATION_OUTAGE = "information-outage";
  public static final String INFORMATION_OUTAGE_PATIENT = "info-outage-1";

  /** A complete sandbox patient only the whole-loop test refers, addressed to a push recipient. */
  public static final String LOOP_PATIENT = "loop-1";

  /** Incomplete, so its referral never gets a packet; only the review tests refer. */
  public static final String REVIEW_INCOMPLETE_PATIENT = "review-incomplete-1";

  /** Receiving organisations by delivery mode, and two whose servers misbehave. */
  public static final String PUSH_TRANSACTION = "push-transaction";

  public static final String PUSH_MESSAGE = "push-message";
  public static final String NOTIFY_AND_PULL = "notify-and-pull";
  public static final String RECIPIENT_DOWN = "recipient-down";
  public static final String FLAKY_RECIPIENT = "flaky-recipient";

  /** Complete sandbox patients only the delivery tests refer, one per referral. */
  public static final String DELIVERY_TRANSACTION_PATIENT = "delivery-transaction-1";

  public static final String DELIVERY_MESSAGE_PATIENT = "delivery-message-1";
  public static final String DELIVERY_NOTIFY_PATIENT = "delivery-notify-1";
  public static final String DELIVERY_DOWN_PATIENT = "delivery-down-1";
  public static final String DELIVERY_NONE_PATIENT = "delivery-none-1";
  public static final List<String> DELIVERY_FLAKY_PATIENTS =
      List.of("delivery-flaky-1", "delivery-flaky-2", "delivery-flaky-3");

  /** A receiving organisation only the turnaround tests address referrals to. */
  public static final String TURNAROUND_RECIPIENT = "turnaround-clinic";

  /** Packets carry attachments up to this size; the sandbox's discharge summaries are larger. */
  public static final int PACKET_MAX_INLINE_BYTES = 128;

  /** A stock HAPI FHIR JPA server holding the Synthea patients, as a referring EHR. */
  public static final String STOCK_EHR = "stock-hapi";

  /** Receiving organisations whose server is a stock HAPI FHIR JPA server: push and message. */
  public static final String STOCK_RECIPIENT = "stock-hapi-clinic";

  public static final String STOCK_MESSAGE_RECIPIENT = "stock-hapi-messages";

  private static TestEhrs instance;

  public final TestEhr sandbox;
  public final TestEhr flaky;
  public final String downBaseUrl;
  public final TestEhr rateLimited;
  public final TestEhr flakyWrites;
  public final TestEhr outage;
  public final TestEhr informationOutage;
  public final TestRecipient recipient;
  public final TestRecipient flakyRecipient;
  public final String downRecipientBaseUrl;
  public final StockHapiServer stockEhr;
  public final StockHapiServer stockRecipient;
  public final List<SyntheaPatients.Loaded> syntheaPatients;

  private TestEhrs() {
    List<SyntheticPatient> sandboxPatients = new ArrayList<>(SyntheticCancerPatients.all());
    sandboxPatients.add(SyntheticCancerPatients.withVolume(SPARE_PATIENT, 30));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(PACKET_PATIENT, 40));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(ACCESS_PATIENT, 30));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(HOSTILE_PATIENT, 30));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(PACKET_REPULL_PATIENT, 40));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(SIGNED_PACKET_PATIENT, 40));
    sandboxPatients.add(withoutPlanOrDischarge(PACKET_INCOMPLETE_PATIENT));
    for (String reviewed :
        List.of(
            REVIEW_PATIENT,
            REVIEW_RULES_PATIENT,
            REVIEW_INFORMATION_PATIENT,
            REVIEW_NO_QUESTIONS_PATIENT)) {
      sandboxPatients.add(SyntheticCancerPatients.withVolume(reviewed, 30));
    }
    sandboxPatients.add(withoutPlanOrDischarge(REVIEW_INCOMPLETE_PATIENT));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(MINIMAL_REFERRAL_PATIENT, 30));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(LOOP_PATIENT, 30));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(WRITE_BACK_PATIENT, 30));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(WRITE_BACK_UNREVIEWED_PATIENT, 30));
    sandboxPatients.add(SyntheticCancerPatients.withVolume(INFORMATION_WRITE_BACK_PATIENT, 30));
    List<String> deliveryPatients = new ArrayList<>(DELIVERY_FLAKY_PATIENTS);
    deliveryPatients.addAll(
        List.of(
            DELIVERY_TRANSACTION_PATIENT,
            DELIVERY_MESSAGE_PATIENT,
            DELIVERY_NOTIFY_PATIENT,
            DELIVERY_DOWN_PATIENT,
            DELIVERY_NONE_PATIENT));
    deliveryPatients.forEach(id -> sandboxPatients.add(SyntheticCancerPatients.withVolume(id, 30)));
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
    flakyWrites =
        TestEhr.start(
            5,
            IntStream.rangeClosed(1, FLAKY_WRITES_PATIENTS)
                .mapToObj(i -> SyntheticCancerPatients.withVolume(flakyWritesPatientId(i), 30))
                .toList(),
            new FaultInjection(0, Duration.ofMillis(1500), 20261126L));
    outage =
        TestEhr.start(
            5, List.of(SyntheticCancerPatients.withVolume(OUTAGE_PATIENT, 30)), new Outage());
    informationOutage =
        TestEhr.start(
            5,
            List.of(SyntheticCancerPatients.withVolume(INFORMATION_OUTAGE_PATIENT, 30)),
            new Outage());
    recipient = TestRecipient.start(null);
    flakyRecipient =
        TestRecipient.start(new FaultInjection(0.30, Duration.ofMillis(1500), 68261270L));
    downRecipientBaseUrl = TestEhr.unreachableBaseUrl();
    stockEhr = StockHapiServer.start("ehr");
    stockRecipient = StockHapiServer.start("recipient");
    syntheaPatients = SyntheaPatients.loadInto(stockEhr.baseUrl());
  }

  public static String flakyWritesPatientId(int i) {
    return "flaky-writes-" + i;
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

  private static void recipient(Map<String, String> p, String name, String mode, String baseUrl) {
    p.put("secondlook.recipients." + name + ".display", "Test recipient " + name);
    p.put("secondlook.recipients." + name + ".delivery.mode", mode);
    p.put("secondlook.recipients." + name + ".delivery.base-url", baseUrl);
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
    for (String property : TestIssuer.get().properties()) {
      p.put(
          property.substring(0, property.indexOf('=')),
          property.substring(property.indexOf('=') + 1));
    }
    TestParties.properties().forEach(p::put);
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
    // Clinicians could launch SecondLook from it, if it answered: its SMART configuration cannot be
    // read.
    p.put("secondlook.ehrs." + DOWN + ".launch.client-id", "secondlook");
    p.put("secondlook.ehrs." + DOWN + ".launch.client-secret", "test-only-" + System.nanoTime());
    p.put("secondlook.ehrs." + RATE_LIMITED + ".base-url", rateLimited.baseUrl());
    p.put("secondlook.ehrs." + RATE_LIMITED + ".limits.initial-backoff", "10ms");
    p.put("secondlook.ehrs." + RATE_LIMITED + ".limits.max-backoff", "5s");
    p.put("secondlook.recipients.tumour-board.display", "Regional sarcoma and breast tumour board");
    recipient(p, PUSH_TRANSACTION, "push", recipient.baseUrl());
    p.put("secondlook.recipients." + PUSH_TRANSACTION + ".delivery.push-style", "transaction");
    recipient(p, PUSH_MESSAGE, "push", recipient.baseUrl());
    p.put("secondlook.recipients." + PUSH_MESSAGE + ".delivery.push-style", "message");
    recipient(p, NOTIFY_AND_PULL, "notify-and-pull", recipient.baseUrl());
    recipient(p, FLAKY_RECIPIENT, "push", flakyRecipient.baseUrl());
    p.put("secondlook.recipients." + FLAKY_RECIPIENT + ".delivery.limits.read-timeout", "1s");
    p.put("secondlook.recipients." + FLAKY_RECIPIENT + ".delivery.limits.max-attempts", "12");
    p.put("secondlook.recipients." + FLAKY_RECIPIENT + ".delivery.limits.initial-backoff", "20ms");
    p.put("secondlook.recipients." + FLAKY_RECIPIENT + ".delivery.limits.max-backoff", "200ms");
    // Slow enough to fail that a second $redeliver finds the first still under way.
    recipient(p, RECIPIENT_DOWN, "push", downRecipientBaseUrl);
    p.put("secondlook.recipients." + RECIPIENT_DOWN + ".delivery.limits.max-attempts", "4");
    p.put("secondlook.recipients." + RECIPIENT_DOWN + ".delivery.limits.initial-backoff", "400ms");
    p.put("secondlook.recipients." + RECIPIENT_DOWN + ".delivery.limits.max-backoff", "1s");
    // Its specialists would sign in through an identity provider that never answers.
    p.put("secondlook.recipients." + RECIPIENT_DOWN + ".sign-in.issuer", downBaseUrl + "/idp");
    p.put("secondlook.recipients." + RECIPIENT_DOWN + ".sign-in.client-id", "secondlook");
    p.put(
        "secondlook.recipients." + RECIPIENT_DOWN + ".sign-in.client-secret",
        "test-only-" + System.nanoTime());
    p.put("secondlook.delivery.poll-interval", "200ms");
    p.put("secondlook.recipients." + TURNAROUND_RECIPIENT + ".display", "Turnaround test clinic");
    // Spring Boot's tests switch metrics export off; the turnaround tests read
    // /actuator/prometheus.
    p.put("management.prometheus.metrics.export.enabled", "true");
    p.put("secondlook.pull.poll-interval", "200ms");
    p.put("secondlook.packet.max-inline-attachment-bytes", String.valueOf(PACKET_MAX_INLINE_BYTES));
    p.put("secondlook.ehrs." + FLAKY_WRITES + ".base-url", flakyWrites.baseUrl());
    p.put("secondlook.ehrs." + FLAKY_WRITES + ".limits.read-timeout", "1s");
    p.put("secondlook.ehrs." + FLAKY_WRITES + ".limits.max-attempts", "12");
    p.put("secondlook.ehrs." + FLAKY_WRITES + ".limits.initial-backoff", "20ms");
    p.put("secondlook.ehrs." + FLAKY_WRITES + ".limits.max-backoff", "200ms");
    p.put("secondlook.ehrs." + OUTAGE + ".base-url", outage.baseUrl());
    p.put("secondlook.ehrs." + OUTAGE + ".mapping", TestMappings.TRANSACTION_COMMUNICATION);
    p.put("secondlook.ehrs." + OUTAGE + ".limits.max-attempts", "4");
    p.put("secondlook.ehrs." + OUTAGE + ".limits.initial-backoff", "300ms");
    p.put("secondlook.ehrs." + OUTAGE + ".limits.max-backoff", "1s");
    p.put("secondlook.site.mappings-dir", TestMappings.siteDirectory().toString());
    p.put("secondlook.write-back.poll-interval", "200ms");
    p.put("secondlook.ehrs." + INFORMATION_OUTAGE + ".base-url", informationOutage.baseUrl());
    p.put(
        "secondlook.ehrs." + INFORMATION_OUTAGE + ".mapping",
        TestMappings.INFORMATION_COMMUNICATION);
    p.put("secondlook.ehrs." + INFORMATION_OUTAGE + ".limits.max-attempts", "3");
    p.put("secondlook.ehrs." + INFORMATION_OUTAGE + ".limits.initial-backoff", "100ms");
    p.put("secondlook.ehrs." + INFORMATION_OUTAGE + ".limits.max-backoff", "300ms");
    p.put("secondlook.ehrs." + STOCK_EHR + ".base-url", stockEhr.baseUrl());
    recipient(p, STOCK_RECIPIENT, "push", stockRecipient.baseUrl());
    recipient(p, STOCK_MESSAGE_RECIPIENT, "push", stockRecipient.baseUrl());
    p.put("secondlook.recipients." + STOCK_MESSAGE_RECIPIENT + ".delivery.push-style", "message");
    return p;
  }
}
