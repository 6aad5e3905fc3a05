package health.secondlook.server.signing;

import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * The signing step of the loop for Spring components (packet assembly, feedback): signs a Bundle
 * with SecondLook's current key, and verifies one against the configured trust.
 */
@Component
public class PacketSignatures {

  private final BundleSigner signer;
  private final BundleVerifier verifier;

  PacketSignatures(SigningKeyRing keys, BundleVerifier verifier) {
    this.signer = keys.current().map(BundleSigner::new).orElse(null);
    this.verifier = verifier;
  }

  /** Whether a signing key is configured; without one, {@link #sign} refuses. */
  public boolean canSign() {
    return signer != null;
  }

  /**
   * Signs as author, now, naming SecondLook's signing certificate as the signer (a Device).
   *
   * @return the same Bundle, with {@code Bundle.signature} set
   * @throws SigningKeyMissingException if no signing key is configured
   */
  public Bundle sign(Bundle bundle) {
    return sign(bundle, SignatureRole.AUTHOR, defaultSigner());
  }

  /**
   * @param who the signer: a Practitioner, Organization or Device reference or identifier
   * @return the same Bundle, with {@code Bundle.signature} set
   * @throws SigningKeyMissingException if no signing key is configured
   */
  public Bundle sign(Bundle bundle, SignatureRole role, Reference who) {
    signer().sign(bundle, role, Instant.now(), who);
    return bundle;
  }

  public VerificationResult verify(Bundle bundle) {
    return verifier.verify(bundle);
  }

  private Reference defaultSigner() {
    return new Reference()
        .setType("Device")
        .setDisplay(signer().identity().certificate().getSubjectX500Principal().getName());
  }

  private BundleSigner signer() {
    if (signer == null) {
      throw new SigningKeyMissingException();
    }
    return signer;
  }
}
