package health.secondlook.server.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

  @TempDir Path dir;

  @Test
  void rsaPkcs8PemSignsRs384ByDefault() throws Exception {
    KeyPair pair = TestKeys.rsa();
    JWK jwk =
        SigningKeys.load(
            TestKeys.writePkcs8Pem(pair, dir.resolve("k.pem")), "k1", null, null, null);

    assertThat(jwk).isInstanceOf(RSAKey.class);
    assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
    assertThat(jwk.getKeyID()).isEqualTo("k1");
    assertThat(jwk.toRSAKey().toPublicKey()).isEqualTo(pair.getPublic());
  }

  @Test
  void ecP384Pkcs8PemSignsEs384ByDefaultWithItsPublicKeyDerived() throws Exception {
    KeyPair pair = TestKeys.ecP384();
    JWK jwk =
        SigningKeys.load(
            TestKeys.writePkcs8Pem(pair, dir.resolve("k.pem")), "k2", null, null, null);

    assertThat(jwk).isInstanceOf(ECKey.class);
    assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
    assertThat(((ECKey) jwk).getCurve()).isEqualTo(Curve.P_384);
    assertThat(jwk.toECKey().toECPublicKey().getW())
        .isEqualTo(((java.security.interfaces.ECPublicKey) pair.getPublic()).getW());
  }

  @Test
  void pkcs12StoreWithPasswordAndAlias() {
    Path store =
        TestKeys.writePkcs12(TestKeys.ecP384(), "ehr-client", "s3cret", dir.resolve("k.p12"));

    JWK jwk = SigningKeys.load(store, "k3", SigningAlgorithm.ES384, "s3cret", "ehr-client");
    JWK onlyKey = SigningKeys.load(store, "k3", null, "s3cret", null);

    assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
    assertThat(onlyKey.getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
  }

  @Test
  void refusesKeysThatDoNotFitTheAlgorithm() {
    Path rsa = TestKeys.writePkcs8Pem(TestKeys.rsa(), dir.resolve("rsa.pem"));
    Path p256 = TestKeys.writePkcs8Pem(TestKeys.ec("secp256r1"), dir.resolve("p256.pem"));
    Path smallRsa =
        TestKeys.writePkcs8Pem(TestKeys.generate("RSA", 1024), dir.resolve("small.pem"));

    assertThatThrownBy(() -> SigningKeys.load(rsa, "k", SigningAlgorithm.ES384, null, null))
        .hasMessageContaining("ES384 needs an EC key on curve P-384");
    assertThatThrownBy(() -> SigningKeys.load(p256, "k", null, null, null))
        .hasMessageContaining("P-384");
    assertThatThrownBy(() -> SigningKeys.load(smallRsa, "k", null, null, null))
        .hasMessageContaining("1024 bits");
  }

  @Test
  void refusesFilesThatHoldNoKey() throws Exception {
    Path notAKey =
        Files.writeString(
            dir.resolve("cert.pem"),
            "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
    Path wrongPassword = TestKeys.writePkcs12(TestKeys.rsa(), "a", "right", dir.resolve("k.p12"));

    assertThatThrownBy(() -> SigningKeys.load(notAKey, "k", null, null, null))
        .hasMessageContaining("cannot read a private key from " + notAKey);
    assertThatThrownBy(() -> SigningKeys.load(wrongPassword, "k", null, "wrong", null))
        .hasMessageContaining("cannot read a private key from " + wrongPassword);
  }
}
