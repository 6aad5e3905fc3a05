package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the configured signing key: PKCS#12, or PEM key (plain or encrypted) plus PEM chain. */
class SigningKeyFilesTest {

  private static final TestPki PKI = new TestPki("Key files test");

  @TempDir Path directory;

  @Test
  void readsAKeyAndItsChainFromPkcs12() throws Exception {
    SigningIdentity original = PKI.rsa();
    Path store = TestPki.writePkcs12(original, "s3cret", directory);

    SigningIdentity loaded = SigningKeyFiles.pkcs12(store, "s3cret".toCharArray(), null, null);

    assertThat(loaded.chain()).isEqualTo(original.chain());
    assertThat(loaded.alg()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(loaded.keyId()).isEqualTo(Certificates.thumbprint(original.certificate()));
    assertThat(new BundleVerifier(PKI.trust()).verify(signedWith(loaded)).valid()).isTrue();
  }

  @Test
  void aWrongStorePasswordIsNamed() throws Exception {
    Path store = TestPki.writePkcs12(PKI.rsa(), "s3cret", directory);

    assertThatThrownBy(() -> SigningKeyFiles.pkcs12(store, "guess".toCharArray(), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(store.toString());
  }

  @Test
  void readsAPemKeyBesideAPemChain() {
    SigningIdentity original = PKI.ec();
    Path key = pem(original.key(), null, "key.pem");
    Path chain = directory.resolve("chain.pem");
    Certificates.write(original.chain(), chain);

    SigningIdentity loaded = SigningKeyFiles.pem(key, chain, null, null);

    assertThat(loaded.alg()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(loaded.chain()).hasSize(3).isEqualTo(original.chain());
    assertThat(new BundleVerifier(PKI.trust()).verify(signedWith(loaded)).valid()).isTrue();
  }

  @Test
  void readsAnEncryptedPemKeyWithItsPassword() {
    SigningIdentity original = PKI.rsa();
    Path key = pem(original.key(), "pem-pass", "encrypted.pem");
    Path chain = directory.resolve("chain.pem");
    Certificates.write(original.chain(), chain);

    assertThat(SigningKeyFiles.pem(key, chain, "pem-pass".toCharArray(), JWSAlgorithm.PS256).alg())
        .isEqualTo(JWSAlgorithm.PS256);
    assertThatThrownBy(() -> SigningKeyFiles.pem(key, chain, null, null))
        .hasMessageContaining("encrypted");
  }

  @Test
  void aKeyThatDoesNotBelongToTheCertificateIsRefused() {
    Path key = pem(TestPki.generateRsa().getPrivate(), null, "other.pem");
    Path chain = directory.resolve("chain.pem");
    Certificates.write(PKI.rsa().chain(), chain);

    assertThatThrownBy(() -> SigningKeyFiles.pem(key, chain, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void anAlgorithmThatDoesNotFitTheKeyIsRefused() {
    Path key = pem(PKI.ec().key(), null, "ec.pem");
    Path chain = directory.resolve("chain.pem");
    Certificates.write(PKI.ec().chain(), chain);

    assertThatThrownBy(() -> SigningKeyFiles.pem(key, chain, null, JWSAlgorithm.RS256))
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> SigningKeyFiles.pem(key, chain, null, JWSAlgorithm.HS256))
        .hasMessageContaining("unsupported");
  }

  private Path pem(PrivateKey key, String password, String name) {
    try {
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(
            new JcaPKCS8Generator(
                key,
                password == null
                    ? null
                    : new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPassword(password.toCharArray())
                        .build()));
      }
      return Files.writeString(directory.resolve(name), text.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static org.hl7.fhir.r4.model.Bundle signedWith(SigningIdentity identity) {
    org.hl7.fhir.r4.model.Bundle bundle = TestPackets.document();
    new BundleSigner(identity)
        .sign(
            bundle,
            SignatureRole.AUTHOR,
            TestPki.NOW,
            new org.hl7.fhir.r4.model.Reference("Device/x"));
    return bundle;
  }
}
