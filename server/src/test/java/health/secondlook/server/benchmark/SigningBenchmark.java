package health.secondlook.server.benchmark;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import health.secondlook.server.signing.BundleSigner;
import health.secondlook.server.signing.BundleVerifier;
import health.secondlook.server.signing.CanonicalForm;
import health.secondlook.server.signing.CertificateIssuer;
import health.secondlook.server.signing.SignatureRole;
import health.secondlook.server.signing.SigningIdentity;
import health.secondlook.server.signing.TrustAnchors;
import health.secondlook.server.signing.VerificationResult;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: {@code tools/benchmark-signing}. For a packet of about 5 MB (a
 * Composition, thousands of Observations, documents carried inline), it times in one run,
 * interleaved round by round: one plain JSON serialisation with HAPI's encoder (the baseline);
 * signing (canonicalise, hash, sign, RS256); verifying (canonicalise again, hash, check signature
 * and chain). It prints the packet size, medians and the two ratios against the baseline.
 */
@EnabledIfSystemProperty(named = "secondlook.benchmark", matches = "true")
class SigningBenchmark {

  private static final int ROUNDS = Integer.getInteger("secondlook.benchmark.rounds", 9);
  private static final int WARM_UP = 5;
  private static final int OBSERVATIONS = 2_500;
  private static final int DOCUMENTS = 40;
  private static final int DOCUMENT_BYTES = 72_000;

  @Test
  void signAndVerifyAgainstPlainSerialisation() throws Exception {
    Instant now = Instant.now();
    CertificateIssuer ca =
        CertificateIssuer.selfSigned(
            "CN=Benchmark CA", rsa(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    KeyPair keys = rsa();
    SigningIdentity identity =
        SigningIdentity.of(
            keys.getPrivate(),
            List.of(
                ca.issueSigning(
                    "CN=Benchmark signer",
                    keys.getPublic(),
                    now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(1))),
                ca.certificate()));
    BundleSigner signer = new BundleSigner(identity);
    BundleVerifier verifier = new BundleVerifier(TrustAnchors.of(ca.certificate()));
    IParser json = FhirContext.forR4Cached().newJsonParser();
    Bundle packet = packet();
    Reference who = new Reference("Device/secondlook");

    Supplier<Object> serialise = () -> json.encodeResourceToString(packet);
    Supplier<Object> sign = () -> signer.sign(packet, SignatureRole.AUTHOR, Instant.now(), who);
    Supplier<Object> verify =
        () -> {
          VerificationResult result = verifier.verify(packet);
          if (!result.valid()) {
            throw new IllegalStateException(result.problems().toString());
          }
          return result;
        };
    Supplier<Object> canonicalise = () -> CanonicalForm.of(packet);

    for (int i = 0; i < WARM_UP; i++) {
      serialise.get();
      sign.get();
      verify.get();
      canonicalise.get();
    }
    long[] baseline = new long[ROUNDS];
    long[] signing = new long[ROUNDS];
    long[] verifying = new long[ROUNDS];
    long[] canonical = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      baseline[i] = time(serialise);
      signing[i] = time(sign);
      verifying[i] = time(verify);
      canonical[i] = time(canonicalise);
    }
    int size = json.encodeResourceToString(packet).getBytes(StandardCharsets.UTF_8).length;
    report(size, packet.getEntry().size(), baseline, signing, verifying, canonical);
  }

  private static Bundle packet() {
    Random random = new Random(42);
    Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT);
    bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID());
    bundle.setTimestamp(new Date());
    Composition composition = new Composition();
    composition.setStatus(Composition.CompositionStatus.FINAL);
    composition.getType().addCoding().setSystem("http://loinc.org").setCode("57133-1");
    composition.setSubject(new Reference("Patient/bench"));
    composition.setTitle("Second opinion request");
    Composition.SectionComponent labs = composition.addSection().setTitle("Laboratory");
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(composition);
    for (int i = 0; i < OBSERVATIONS; i++) {
      Observation observation = new Observation();
      observation.setStatus(Observation.ObservationStatus.FINAL);
      observation
          .getCode()
          .addCoding()
          .setSystem("http://loinc.org")
          .setCode("718-7")
          .setDisplay("Hemoglobin [Mass/volume] in Blood");
      observation.setSubject(new Reference("Patient/bench"));
      observation.setEffective(
          new org.hl7.fhir.r4.model.DateTimeType(
              Date.from(Instant.now().minusSeconds(3_600L * i))));
      observation.setValue(
          new Quantity()
              .setValue(BigDecimal.valueOf(100 + random.nextInt(800), 1))
              .setUnit("g/dL")
              .setSystem("http://unitsofmeasure.org")
              .setCode("g/dL"));
      String fullUrl = "urn:uuid:" + UUID.randomUUID();
      labs.addEntry(new Reference(fullUrl));
      bundle.addEntry().setFullUrl(fullUrl).setResource(observation);
    }
    for (int i = 0; i < DOCUMENTS; i++) {
      DocumentReference document = new DocumentReference();
      document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
      document.setSubject(new Reference("Patient/bench"));
      byte[] pdf = new byte[DOCUMENT_BYTES];
      random.nextBytes(pdf);
      document
          .addContent()
          .getAttachment()
          .setContentType("application/pdf")
          .setTitle("Scan report " + i)
          .setData(pdf);
      bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(document);
    }
    return bundle;
  }

  private static void report(
      int bytes, int entries, long[] baseline, long[] signing, long[] verifying, long[] canonical) {
    double b = Medians.of(baseline) / 1e6;
    double s = Medians.of(signing) / 1e6;
    double v = Medians.of(verifying) / 1e6;
    double c = Medians.of(canonical) / 1e6;
    System.out.printf(
        """

        Signing benchmark: packet of %.2f MB (%d entries: %d Observations, %d inline documents), RS256, %d rounds after %d warm-up, %d cores
          baseline: HAPI JSON serialisation          median %7.1f ms   %s
          sign: canonicalise + hash + sign            median %7.1f ms   %s
          verify: canonicalise + hash + check         median %7.1f ms   %s
          (canonical form alone                        median %7.1f ms   %s)
          ratio sign / baseline   = %.2f   (target <= 1.25, floor ~1.0)
          ratio verify / baseline = %.2f   (target <= 1.25, floor ~1.0)
        %n""",
        bytes / 1_000_000.0,
        entries,
        OBSERVATIONS,
        DOCUMENTS,
        ROUNDS,
        WARM_UP,
        Runtime.getRuntime().availableProcessors(),
        b,
        millis(baseline),
        s,
        millis(signing),
        v,
        millis(verifying),
        c,
        millis(canonical),
        s / b,
        v / b);
  }

  /** Nanoseconds: whole milliseconds would blur ratios of about 50 ms. */
  private static long time(Supplier<Object> work) {
    long start = System.nanoTime();
    work.get();
    return System.nanoTime() - start;
  }

  private static String millis(long[] nanos) {
    return Arrays.stream(nanos)
        .mapToObj(n -> String.format("%.1f", n / 1e6))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }
}
