package health.secondlook.server.signing;

import static health.secondlook.server.signing.ProblemCode.CERTIFICATE_EXPIRED;
import static health.secondlook.server.signing.ProblemCode.CERTIFICATE_NOT_YET_VALID;
import static health.secondlook.server.signing.ProblemCode.MISSING_DIGITAL_SIGNATURE_KEY_USAGE;
import static health.secondlook.server.signing.ProblemCode.UNTRUSTED_CHAIN;

import health.secondlook.server.signing.VerificationResult.Problem;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Judges a signer's certificate chain at the signing time: every certificate valid then, the
 * signer's allowing {@code digitalSignature}, and the chain leading to a trust anchor (PKIX,
 * without revocation checks).
 */
final class ChainChecks {

  private ChainChecks() {}

  /**
   * @param chain signer first, as in {@code x5c}
   */
  static List<Problem> check(List<X509Certificate> chain, Instant at, TrustAnchors trust) {
    List<Problem> problems = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      String name = certificate.getSubjectX500Principal().getName();
      Instant notBefore = certificate.getNotBefore().toInstant();
      Instant notAfter = certificate.getNotAfter().toInstant();
      if (at.isAfter(notAfter)) {
        problems.add(
            new Problem(
                CERTIFICATE_EXPIRED,
                "certificate '"
                    + name
                    + "' expired "
                    + notAfter
                    + ", before the signing time "
                    + at));
      } else if (at.isBefore(notBefore)) {
        problems.add(
            new Problem(
                CERTIFICATE_NOT_YET_VALID,
                "certificate '"
                    + name
                    + "' is valid from "
                    + notBefore
                    + ", after the signing time "
                    + at));
      }
    }
    boolean[] usage = chain.get(0).getKeyUsage();
    if (usage == null || !usage[0]) {
      problems.add(
          new Problem(
              MISSING_DIGITAL_SIGNATURE_KEY_USAGE,
              "the signer's certificate does not allow digitalSignature"));
    }
    // Trust is judged apart from time: when the chain was out of date at the signing time, at a
    // moment every certificate was valid, so an expired chain is not also called untrusted.
    Instant trustAt =
        problems.stream().anyMatch(ChainChecks::aboutTime) ? latestNotBefore(chain) : at;
    String untrusted = untrustedReason(chain, trustAt, trust);
    if (untrusted != null) {
      problems.add(new Problem(UNTRUSTED_CHAIN, untrusted));
    }
    return problems;
  }

  private static boolean aboutTime(Problem problem) {
    return problem.code() == CERTIFICATE_EXPIRED || problem.code() == CERTIFICATE_NOT_YET_VALID;
  }

  private static Instant latestNotBefore(List<X509Certificate> chain) {
    return chain.stream()
        .map(c -> c.getNotBefore().toInstant())
        .max(Instant::compareTo)
        .orElseThrow();
  }

  /** Why PKIX does not accept the chain, or {@code null} if it does. */
  private static String untrustedReason(
      List<X509Certificate> chain, Instant at, TrustAnchors trust) {
    if (trust.isEmpty()) {
      return "no trust anchors are configured, so no signer can be trusted";
    }
    // A chain may end with the anchor itself; PKIX wants the path up to it.
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
}
