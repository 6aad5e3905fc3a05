package health.secondlook.server.signing;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What verifying a packet's signature found.
 *
 * @param problems every reason the signature is not valid; none if it is
 * @param signer the certificate the signature names as its signer ({@code x5c} leaf), trusted or
 *     not; {@code null} if the signature is unreadable
 * @param signedAt the signing time the header states ({@code sigT}); {@code null} if unreadable
 */
public record VerificationResult(List<Problem> problems, X509Certificate signer, Instant signedAt) {

  public VerificationResult {
    problems = List.copyOf(problems);
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** The signer's subject DN (RFC 2253), or {@code null}. */
  public String signerName() {
    return signer == null ? null : signer.getSubjectX500Principal().getName();
  }

  public boolean has(ProblemCode code) {
    return problems.stream().anyMatch(problem -> problem.code() == code);
  }

  /** One reason, with a sentence for people. */
  public record Problem(ProblemCode code, String message) {}
}
