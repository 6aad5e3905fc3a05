package health.secondlook.server.smart;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
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
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key pairs made at test time and written where a test's configuration can point; never committed.
 */
public final class TestKeys {

  private TestKeys() {}

  public static KeyPair rsa() {
    return generate("RSA", 2048);
  }

  public static KeyPair ecP384() {
    return ec("secp384r1");
  }

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
  public static Path writePkcs8Pem(KeyPair pair, Path file) {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(file, pem.toString());
  }

  /** Writes the key and a self-signed certificate into a PKCS#12 store. */
  public static Path writePkcs12(KeyPair pair, String alias, String password, Path file) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          alias, pair.getPrivate(), password.toCharArray(), new Certificate[] {selfSigned(pair)});
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, password.toCharArray());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate selfSigned(KeyPair pair) throws Exception {
    X500Name name = new X500Name("CN=SecondLook test client");
    Instant now = Instant.now();
    String signature =
        pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA384withRSA" : "SHA384withECDSA";
    return new JcaX509CertificateConverter()
        .getCertificate(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofMinutes(1))),
                    Date.from(now.plus(Duration.ofDays(1))),
                    name,
                    pair.getPublic())
                .build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
  }

  private static Path write(Path file, String text) {
    try (Writer writer = Files.newBufferedWriter(file)) {
      writer.write(text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
