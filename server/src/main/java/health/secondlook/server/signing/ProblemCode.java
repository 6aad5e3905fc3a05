package health.secondlook.server.signing;

import java.util.Locale;

/**
 * Why a packet signature does not verify; {@link #code()} is what the FHIR operation and CLI print.
 */
public enum ProblemCode {
  /** The Bundle has no {@code signature}, or it carries no data. */
  NO_SIGNATURE,
  /** The signature data is not a detached compact JWS with a certificate chain. */
  MALFORMED_SIGNATURE,
  /** The JWS {@code alg} is {@code none}, an HMAC, or otherwise not accepted. */
  UNSUPPORTED_ALGORITHM,
  /** The signature does not match the Bundle's content: it was changed after signing. */
  DIGEST_MISMATCH,
  /** The signer's certificate chain does not lead to a trusted CA. */
  UNTRUSTED_CHAIN,
  /** A certificate of the chain had expired at the signing time. */
  CERTIFICATE_EXPIRED,
  /** A certificate of the chain was not yet valid at the signing time. */
  CERTIFICATE_NOT_YET_VALID,
  /** The signer's certificate does not allow {@code digitalSignature}. */
  MISSING_DIGITAL_SIGNATURE_KEY_USAGE,
  /** The header's {@code sigT} is missing or differs from {@code Signature.when}. */
  SIGT_MISMATCH,
  /** The header's {@code srCms} commitments differ from the {@code Signature.type} codes. */
  SRCMS_MISMATCH;

  /** e.g. {@code digest-mismatch}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
