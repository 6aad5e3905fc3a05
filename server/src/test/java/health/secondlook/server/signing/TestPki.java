package health.secondlook.server.signing;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A throwaway PKI made at test time with Bouncy Castle: a root CA, an intermediate, and signing
 * identities under them. No key is ever written to the repository.
 */
final class TestPki {

  static final Instant NOW = Instant.parse("2025-06-02T09:30:00Z");
  static final Instant LONG_AGO = NOW.minus(Duration.ofDays(365));
  static final Instant FAR_AHEAD = NOW.plus(Duration.ofDays(365));

  private static final KeyPair RSA_KEYS = generateRsa();
  private static final KeyPair EC_KEYS = generateEc();

  final CertificateIssuer root;
  final CertificateIssuer intermediate;
  private final Instant from;
  private final Instant to;

  /** Certificates valid a year either side of {@link #NOW}, the signing time tests use. */
  TestPki(String name) {
    this(name, LONG_AGO, FAR_AHEAD);
  }

  /** Certificates valid from {@code from} to {@code to}, e.g. around the real clock. */
  TestPki(String name, Instant from, Instant to) {
    this.from = from;
    this.to = to;
    root =
        CertificateIssuer.selfSigned(
            "CN=" + name + " root CA,O=SecondLook tests", generateEc(), from, to);
    intermediate =
        root.issueIntermediate(
            "CN=" + name + " issuing CA,O=SecondLook tests", generateEc(), from, to);
  }

  TrustAnchors trust() {
    return TrustAnchors.of(root.certificate());
  }

  /** RS256 signer, chain leaf → intermediate → root. */
  SigningIdentity rsa() {
    return identity(RSA_KEYS, from, to, KeyUsage.digitalSignature);
  }

  /** ES256 signer on P-256, same chain shape. */
  SigningIdentity ec() {
    return identity(EC_KEYS, from, to, KeyUsage.digitalSignature);
  }

  SigningIdentity identity(KeyPair keys, Instant from, Instant to, int keyUsage) {
    X509Certificate leaf =
        intermediate.issue(
            "CN=Test packet signer,O=SecondLook tests",
            keys.getPublic(),
            from,
            to,
            false,
            keyUsage);
    return SigningIdentity.of(
        keys.getPrivate(), List.of(leaf, intermediate.certificate(), root.certificate()));
  }

  static KeyPair rsaKeys() {
    return RSA_KEYS;
  }

  static KeyPair ecKeys() {
    return EC_KEYS;
  }

  static KeyPair generateRsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair generateEc() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the identity's key and chain to {@code directory/signing.p12}. */
  static Path writePkcs12(SigningIdentity identity, String password, Path directory)
      throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "signing",
        identity.key(),
        password.toCharArray(),
        identity.chain().toArray(Certificate[]::new));
    Path file = directory.resolve("signing.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }
}
