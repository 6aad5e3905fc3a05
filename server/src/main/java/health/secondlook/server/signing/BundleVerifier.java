package health.secondlook.server.signing;

import static health.secondlook.server.signing.ProblemCode.DIGEST_MISMATCH;
import static health.secondlook.server.signing.ProblemCode.SIGT_MISMATCH;
import static health.secondlook.server.signing.ProblemCode.SRCMS_MISMATCH;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import health.secondlook.server.signing.VerificationResult.Problem;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Signature;

/**
 * Checks a packet's {@code Bundle.signature} the way a receiving specialist's system would: the
 * detached JWS against the Bundle's {@link CanonicalForm}, the signer's certificate chain against
 * the configured {@link TrustAnchors} at the signing time, and the header's {@code sigT} and {@code
 * srCms} against {@code Signature.when} and {@code Signature.type}. It reports every problem it
 * finds, not just the first.
 */
public final class BundleVerifier {

  private final TrustAnchors trust;

  public BundleVerifier(TrustAnchors trust) {
    this.trust = trust;
  }

  /** Verifies a Bundle held as a FHIR model, e.g. read from storage or posted to the server. */
  public VerificationResult verify(Bundle bundle) {
    return check(
        bundle.hasSignature() ? bundle.getSignature() : null,
        sink -> CanonicalForm.writeTo(bundle, sink));
  }

  /**
   * Verifies Bundle JSON exactly as received: the signed content is taken from the text itself, not
   * from a FHIR parser's reading of it.
   *
   * @throws IllegalArgumentException if the text is not a FHIR Bundle in JSON
   */
  public VerificationResult verifyJson(String bundleJson) {
    Bundle bundle;
    try {
      bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, bundleJson);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not a FHIR R4 Bundle in JSON: " + e.getMessage(), e);
    }
    return check(
        bundle.hasSignature() ? bundle.getSignature() : null,
        sink -> {
          byte[] canonical = CanonicalForm.ofJson(bundleJson);
          sink.accept(canonical, 0, canonical.length);
        });
  }

  private VerificationResult check(
      Signature signature, Consumer<CanonicalJsonWriter.Sink> content) {
    SignatureData data;
    try {
      data = SignatureData.read(signature);
    } catch (SignatureData.Unreadable e) {
      return e.result();
    }
    List<Problem> problems = new ArrayList<>();
    Instant sigT = checkSigT(data.header(), signature, problems);
    checkSrCms(data.header(), signature, problems);
    Instant at =
        sigT != null ? sigT : signature.hasWhen() ? signature.getWhen().toInstant() : Instant.now();
    problems.addAll(ChainChecks.check(data.chain(), at, trust));
    if (!signatureMatches(data, content)) {
      problems.add(
          new Problem(
              DIGEST_MISMATCH,
              "the signature does not match the Bundle's content: it changed after signing"));
    }
    return new VerificationResult(problems, data.signer(), sigT);
  }

  private static Instant checkSigT(JWSHeader header, Signature signature, List<Problem> problems) {
    if (!(header.getCustomParam(BundleSigner.SIG_T) instanceof String text)) {
      problems.add(new Problem(SIGT_MISMATCH, "the JWS header has no sigT"));
      return null;
    }
    Instant sigT;
    try {
      sigT = Instant.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(new Problem(SIGT_MISMATCH, "sigT '" + text + "' is not an ISO-8601 time"));
      return null;
    }
    if (!signature.hasWhen()) {
      problems.add(new Problem(SIGT_MISMATCH, "Signature.when is missing; sigT is " + text));
    } else if (!signature.getWhen().toInstant().equals(sigT)) {
      problems.add(
          new Problem(
              SIGT_MISMATCH,
              "sigT "
                  + text
                  + " differs from Signature.when "
                  + signature.getWhenElement().getValueAsString()));
    }
    return sigT;
  }

  private static void checkSrCms(JWSHeader header, Signature signature, List<Problem> problems) {
    Set<String> committed = new TreeSet<>();
    if (header.getCustomParam(BundleSigner.SR_CMS) instanceof List<?> commitments) {
      for (Object commitment : commitments) {
        if (commitment instanceof Map<?, ?> map
            && map.get("commId") instanceof Map<?, ?> commId
            && commId.get("id") instanceof String id) {
          committed.add(id.startsWith("urn:oid:") ? id.substring("urn:oid:".length()) : id);
        }
      }
    }
    Set<String> typed = new TreeSet<>();
    for (Coding type : signature.getType()) {
      typed.add(type.getCode());
    }
    if (!committed.equals(typed)) {
      problems.add(
          new Problem(
              SRCMS_MISMATCH,
              "the JWS header commits to "
                  + committed
                  + " (srCms) but Signature.type says "
                  + typed));
    }
  }

  private static boolean signatureMatches(
      SignatureData data, Consumer<CanonicalJsonWriter.Sink> content) {
    JWSHeader header = data.header();
    try {
      return DetachedJws.verify(
          header.toBase64URL(),
          content,
          Algorithms.jcaVerifier(data.signer().getPublicKey(), header.getAlgorithm()),
          data.jws().getSignature());
    } catch (JOSEException | GeneralSecurityException e) {
      return false;
    }
  }
}
