package health.secondlook.server.signing;

import static health.secondlook.server.signing.ProblemCode.CERTIFICATE_EXPIRED;
import static health.secondlook.server.signing.ProblemCode.CERTIFICATE_NOT_YET_VALID;
import static health.secondlook.server.signing.ProblemCode.DIGEST_MISMATCH;
import static health.secondlook.server.signing.ProblemCode.MALFORMED_SIGNATURE;
import static health.secondlook.server.signing.ProblemCode.MISSING_DIGITAL_SIGNATURE_KEY_USAGE;
import static health.secondlook.server.signing.ProblemCode.NO_SIGNATURE;
import static health.secondlook.server.signing.ProblemCode.SIGT_MISMATCH;
import static health.secondlook.server.signing.ProblemCode.SRCMS_MISMATCH;
import static health.secondlook.server.signing.ProblemCode.UNSUPPORTED_ALGORITHM;
import static health.secondlook.server.signing.ProblemCode.UNTRUSTED_CHAIN;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.X509CertChainUtils;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
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

  public TrustAnchors trust() {
    return trust;
  }

  /** Verifies a Bundle held as a FHIR model, e.g. read from storage or posted to the server. */
  public VerificationResult verify(Bundle bundle) {
    return check(
        bundle.hasSignature() ? bundle.getSignature() : null, () -> CanonicalForm.of(bundle));
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
        () -> CanonicalForm.ofJson(bundleJson));
  }

  private VerificationResult check(Signature signature, Supplier<byte[]> content) {
    if (signature == null || !signature.hasData()) {
      return VerificationResult.invalid(NO_SIGNATURE, "the Bundle is not signed");
    }
    if (signature.hasSigFormat() && !BundleSigner.SIG_FORMAT.equals(signature.getSigFormat())) {
      return VerificationResult.invalid(
          MALFORMED_SIGNATURE,
          "sigFormat is " + signature.getSigFormat() + "; expected " + BundleSigner.SIG_FORMAT);
    }
    String compact = new String(signature.getData(), StandardCharsets.US_ASCII);
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3) {
      return VerificationResult.invalid(
          MALFORMED_SIGNATURE, "the signature data is not a compact JWS");
    }
    if (!parts[1].isEmpty()) {
      return VerificationResult.invalid(
          MALFORMED_SIGNATURE,
          "the JWS carries a payload; a packet signature's payload is detached");
    }
    // The algorithm first, so that 'none' and HMAC are named as such whatever else is wrong.
    String alg;
    try {
      alg =
          JSONObjectUtils.getString(
              JSONObjectUtils.parse(new Base64URL(parts[0]).decodeToString()), "alg");
    } catch (ParseException e) {
      return VerificationResult.invalid(MALFORMED_SIGNATURE, "the JWS header is not JSON");
    }
    if (alg == null || !Algorithms.SUPPORTED.contains(JWSAlgorithm.parse(alg))) {
      return VerificationResult.invalid(UNSUPPORTED_ALGORITHM, unsupported(alg));
    }
    JWSObject jws;
    List<X509Certificate> chain;
    try {
      jws = JWSObject.parse(compact);
      chain =
          jws.getHeader().getX509CertChain() == null
              ? List.of()
              : X509CertChainUtils.parse(jws.getHeader().getX509CertChain());
    } catch (ParseException e) {
      return VerificationResult.invalid(
          MALFORMED_SIGNATURE, "the JWS cannot be read: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      return VerificationResult.invalid(
          MALFORMED_SIGNATURE, "the JWS header carries no signer certificate (x5c)");
    }
    JWSHeader header = jws.getHeader();
    X509Certificate signer = chain.get(0);
    Set<String> unknownCritical =
        new TreeSet<>(header.getCriticalParams() == null ? Set.of() : header.getCriticalParams());
    unknownCritical.removeAll(BundleSigner.CRITICAL);
    if (!Algorithms.fits(header.getAlgorithm(), signer.getPublicKey())) {
      return new VerificationResult(
          List.of(
              new VerificationResult.Problem(
                  MALFORMED_SIGNATURE,
                  alg
                      + " does not fit the signer certificate's "
                      + signer.getPublicKey().getAlgorithm()
                      + " key")),
          signer,
          null);
    }
    if (!unknownCritical.isEmpty()) {
      return new VerificationResult(
          List.of(
              new VerificationResult.Problem(
                  MALFORMED_SIGNATURE,
                  "the JWS header marks "
                      + unknownCritical
                      + " critical, which this verifier does not understand")),
          signer,
          null);
    }

    List<VerificationResult.Problem> problems = new ArrayList<>();
    Instant sigT = checkSigT(header, signature, problems);
    checkSrCms(header, signature, problems);
    Instant at =
        sigT != null ? sigT : signature.hasWhen() ? signature.getWhen().toInstant() : Instant.now();
    checkCertificates(chain, at, problems);
    if (!signatureMatches(jws, signer, content.get())) {
      problems.add(
          new VerificationResult.Problem(
              DIGEST_MISMATCH,
              "the signature does not match the Bundle's content: it changed after signing"));
    }
    return new VerificationResult(problems, signer, sigT);
  }

  private static String unsupported(String alg) {
    if (alg == null) {
      return "the JWS header names no alg";
    }
    if (alg.equals("none")) {
      return "alg none: the JWS is not signed at all";
    }
    if (alg.startsWith("HS")) {
      return alg
          + " is an HMAC, which anyone holding the shared secret can forge; packets are signed with RS256 or ES256";
    }
    return "alg " + alg + " is not accepted; packets are signed with RS256 or ES256";
  }

  private static Instant checkSigT(
      JWSHeader header, Signature signature, List<VerificationResult.Problem> problems) {
    if (!(header.getCustomParam(BundleSigner.SIG_T) instanceof String text)) {
      problems.add(new VerificationResult.Problem(SIGT_MISMATCH, "the JWS header has no sigT"));
      return null;
    }
    Instant sigT;
    try {
      sigT = Instant.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(
          new VerificationResult.Problem(
              SIGT_MISMATCH, "sigT '" + text + "' is not an ISO-8601 time"));
      return null;
    }
    if (!signature.hasWhen()) {
      problems.add(
          new VerificationResult.Problem(
              SIGT_MISMATCH, "Signature.when is missing; sigT is " + text));
    } else if (!signature.getWhen().toInstant().equals(sigT)) {
      problems.add(
          new VerificationResult.Problem(
              SIGT_MISMATCH,
              "sigT "
                  + text
                  + " differs from Signature.when "
                  + signature.getWhenElement().getValueAsString()));
    }
    return sigT;
  }

  private static void checkSrCms(
      JWSHeader header, Signature signature, List<VerificationResult.Problem> problems) {
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
          new VerificationResult.Problem(
              SRCMS_MISMATCH,
              "the JWS header commits to "
                  + committed
                  + " (srCms) but Signature.type says "
                  + typed));
    }
  }

  private void checkCertificates(
      List<X509Certificate> chain, Instant at, List<VerificationResult.Problem> problems) {
    boolean timely = true;
    for (X509Certificate certificate : chain) {
      String name = certificate.getSubjectX500Principal().getName();
      if (at.isAfter(certificate.getNotAfter().toInstant())) {
        timely = false;
        problems.add(
            new VerificationResult.Problem(
                CERTIFICATE_EXPIRED,
                "certificate '"
                    + name
                    + "' expired "
                    + certificate.getNotAfter().toInstant()
                    + ", before the signing time "
                    + at));
      } else if (at.isBefore(certificate.getNotBefore().toInstant())) {
        timely = false;
        problems.add(
            new VerificationResult.Problem(
                CERTIFICATE_NOT_YET_VALID,
                "certificate '"
                    + name
                    + "' is valid from "
                    + certificate.getNotBefore().toInstant()
                    + ", after the signing time "
                    + at));
      }
    }
    boolean[] usage = chain.get(0).getKeyUsage();
    if (usage == null || !usage[0]) {
      problems.add(
          new VerificationResult.Problem(
              MISSING_DIGITAL_SIGNATURE_KEY_USAGE,
              "the signer's certificate does not allow digitalSignature"));
    }
    // Trust is judged apart from time: at a moment every certificate was valid, if there was one.
    Instant trustAt = timely ? at : latestNotBefore(chain);
    String untrusted = untrustedReason(chain, trustAt);
    if (untrusted != null) {
      problems.add(new VerificationResult.Problem(UNTRUSTED_CHAIN, untrusted));
    }
  }

  private static Instant latestNotBefore(List<X509Certificate> chain) {
    return chain.stream()
        .map(c -> c.getNotBefore().toInstant())
        .max(Instant::compareTo)
        .orElseThrow();
  }

  /** Why PKIX does not accept the chain (revocation not checked), or {@code null} if it does. */
  private String untrustedReason(List<X509Certificate> chain, Instant at) {
    if (trust.isEmpty()) {
      return "no trust anchors are configured, so no signer can be trusted";
    }
    List<X509Certificate> path = new ArrayList<>(chain);
    while (!path.isEmpty() && trust.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    try {
      PKIXParameters parameters = new PKIXParameters(trust.anchors());
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
      return null;
    } catch (GeneralSecurityException e) {
      return "the signer's certificate chain does not lead to a trusted CA: " + e.getMessage();
    }
  }

  private static boolean signatureMatches(JWSObject jws, X509Certificate signer, byte[] content) {
    JWSHeader header = jws.getHeader();
    try {
      return Algorithms.verifier(
              signer.getPublicKey(), header.getAlgorithm(), BundleSigner.CRITICAL)
          .verify(
              header, DetachedJws.signingInput(header.toBase64URL(), content), jws.getSignature());
    } catch (JOSEException e) {
      return false;
    }
  }
}
