package health.secondlook.server.signing;

import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Reads and writes X.509 certificates as PEM, and names them the way the JWKS does. */
public final class Certificates {

  private Certificates() {}

  /**
   * Every certificate in a PEM (or DER) file, in file order: for a chain, the leaf first.
   *
   * @throws IllegalArgumentException naming the file, if it holds none or cannot be read
   */
  public static List<X509Certificate> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates =
          factory().generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no certificate");
      }
      return certificates;
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e, e);
    }
  }

  /** Certificates as PEM text, one {@code BEGIN CERTIFICATE} block each. */
  public static String pem(List<X509Certificate> certificates) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  public static void write(List<X509Certificate> certificates, Path file) {
    try {
      Files.writeString(file, pem(certificates), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The certificate's SHA-256 thumbprint, base64url ({@code x5t#S256}): SecondLook's {@code kid},
   * so a key keeps its id across restarts and rotations without being configured.
   */
  public static String thumbprint(X509Certificate certificate) {
    try {
      return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()))
          .toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CertificateFactory factory() throws CertificateException {
    return CertificateFactory.getInstance("X.509");
  }
}
