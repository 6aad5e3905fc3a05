package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Rotation: a new key signs new packets, the retired one stays published, and packets it signed
 * still verify, even after its certificate expired, because certificates are judged at {@code
 * sigT}.
 */
class KeyRotationTest {

  private static final TestPki PKI = new TestPki("Rotation test");
  private static final Instant ROTATED = TestPki.NOW;

  @Test
  void oldPacketsStillVerifyAfterANewKeySigns() throws Exception {
    SigningIdentity retired =
        PKI.identity(
            TestPki.ecKeys(),
            TestPki.LONG_AGO,
            ROTATED.plus(Duration.ofDays(7)),
            KeyUsage.digitalSignature);
    SigningIdentity next = PKI.rsa();
    SigningKeyRing before = new SigningKeyRing(retired, List.of());
    SigningKeyRing after = new SigningKeyRing(next, List.of(retired.chain()));
    BundleVerifier verifier = new BundleVerifier(PKI.trust());

    Bundle old = sign(before, ROTATED.minus(Duration.ofDays(30)));
    Bundle fresh = sign(after, ROTATED.plus(Duration.ofDays(30)));

    assertThat(verifier.verify(old).problems()).isEmpty();
    assertThat(verifier.verify(fresh).problems()).isEmpty();
    assertThat(kid(old)).isEqualTo(retired.keyId()).isNotEqualTo(kid(fresh));
    assertThat(kid(fresh)).isEqualTo(next.keyId());
  }

  @Test
  void theJwksPublishesTheCurrentAndRetiredKeysWithTheirChains() {
    SigningIdentity retired = PKI.ec();
    SigningIdentity current = PKI.rsa();

    JWKSet jwks = new SigningKeyRing(current, List.of(retired.chain())).jwks();

    assertThat(jwks.getKeys())
        .extracting(JWK::getKeyID)
        .containsExactly(current.keyId(), retired.keyId());
    assertThat(jwks.getKeys())
        .extracting(key -> key.getAlgorithm().getName())
        .containsExactly("RS256", "ES256");
    assertThat(jwks.getKeys())
        .allSatisfy(
            key -> {
              assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
              assertThat(key.isPrivate()).isFalse();
              assertThat(key.getX509CertChain()).hasSize(3);
            });
  }

  @Test
  void theRingNamesTheRootsOfItsChainsForTrust() {
    TestPki older = new TestPki("Previous CA");
    SigningKeyRing ring = new SigningKeyRing(PKI.rsa(), List.of(older.ec().chain()));

    assertThat(ring.roots()).containsExactly(PKI.root.certificate(), older.root.certificate());
    assertThat(new SigningKeyRing(null, List.of()).jwks().getKeys()).isEmpty();
  }

  private static Bundle sign(SigningKeyRing ring, Instant when) {
    Bundle bundle = TestPackets.document();
    new BundleSigner(ring.current().orElseThrow())
        .sign(bundle, SignatureRole.AUTHOR, when, new Reference("Device/secondlook"));
    return bundle;
  }

  private static String kid(Bundle bundle) throws Exception {
    return com.nimbusds.jose.JWSObject.parse(
            new String(bundle.getSignature().getData(), StandardCharsets.US_ASCII))
        .getHeader()
        .getKeyID();
  }
}
