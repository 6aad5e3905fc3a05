package health.secondlook.server.signing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Demo mode's signing keys, made on first start and reused afterwards, in a {@code keys} folder of
 * the data directory:
 *
 * <ul>
 *   <li>{@code signing.p12}: the packet-signing key (RSA, RS256) with its chain, signing
 *       certificate then CA;
 *   <li>{@code signing.p12.password}: the store's random password, readable by its owner only;
 *   <li>{@code ca.pem}: the demo CA certificate, the trust anchor a specialist verifies with.
 * </ul>
 *
 * The CA's private key is used once, to issue the signing certificate, and never stored.
 *
 * <p>It also makes the private keys demo clients authenticate to the sandbox with ({@code
 * private_key_jwt}), one PKCS#8 PEM file each, readable by its owner only.
 */
public final class DemoKeys {

  public static final String STORE = "signing.p12";
  public static final String PASSWORD = "signing.p12.password";
  public static final String CA = "ca.pem";

  static final String ALIAS = "packet-signing";

  private DemoKeys() {}

  /** The demo signing identity in {@code keysDirectory}, created there if it is not yet. */
  public static SigningIdentity ensure(Path keysDirectory) {
    Path store = keysDirectory.resolve(STORE);
    Path password = keysDirectory.resolve(PASSWORD);
    if (!Files.exists(store) || !Files.exists(password)) {
      create(keysDirectory);
    }
    SigningIdentity identity = SigningKeyFiles.pkcs12(store, readPassword(password), ALIAS, null);
    Path ca = keysDirectory.resolve(CA);
    if (!Files.exists(ca)) {
      X509Certificate root = identity.chain().get(identity.chain().size() - 1);
      Certificates.write(List.of(root), ca);
    }
    return identity;
  }

  /** A new RSA private key in {@code pemFile} (PKCS#8 PEM) unless the file exists already. */
  public static void ensurePrivateKey(Path pemFile) {
    if (Files.exists(pemFile)) {
      return;
    }
    try {
      createOwnerOnlyDirectory(pemFile.toAbsolutePath().getParent());
      try (OutputStream out = ownerOnly(pemFile);
          JcaPEMWriter writer =
              new JcaPEMWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII))) {
        writer.writeObject(new JcaPKCS8Generator(rsa().getPrivate(), null));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo client key " + pemFile, e);
    }
  }

  private static void create(Path directory) {
    Instant now = Instant.now();
    KeyPair caKeys = rsa();
    CertificateIssuer ca =
        CertificateIssuer.selfSigned(
            "CN=SecondLook demo CA,O=SecondLook demo",
            caKeys,
            now.minus(Duration.ofMinutes(5)),
            now.plus(Duration.ofDays(3650)));
    KeyPair signingKeys = rsa();
    X509Certificate signing =
        ca.issueSigning(
            "CN=SecondLook demo packet signing,O=SecondLook demo",
            signingKeys.getPublic(),
            now.minus(Duration.ofMinutes(5)),
            now.plus(Duration.ofDays(825)));
    char[] secret = randomPassword();
    try {
      createOwnerOnlyDirectory(directory);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          ALIAS, signingKeys.getPrivate(), secret, new Certificate[] {signing, ca.certificate()});
      try (OutputStream out = ownerOnly(directory.resolve(STORE))) {
        store.store(out, secret);
      }
      try (OutputStream out = ownerOnly(directory.resolve(PASSWORD))) {
        out.write(new String(secret).getBytes(StandardCharsets.US_ASCII));
      }
      Certificates.write(List.of(ca.certificate()), directory.resolve(CA));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write demo keys to " + directory, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make demo keys", e);
    }
  }

  private static void createOwnerOnlyDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    try {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createDirectories(directory);
    }
  }

  /** A new file (replacing a stray one) that only its owner may read, where the OS has owners. */
  private static OutputStream ownerOnly(Path file) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another process is writing " + file, e);
    }
    return Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static char[] readPassword(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip().toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static char[] randomPassword() {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
