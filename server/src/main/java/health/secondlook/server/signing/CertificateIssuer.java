package health.secondlook.server.signing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority held in memory: issues the demo CA and its packet-signing certificate
 * (and, in tests, certificates with whatever validity or key usage a case needs).
 */
public final class CertificateIssuer {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateIssuer(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A self-signed root: CA, allowed to sign certificates. */
  public static CertificateIssuer selfSigned(
      String subject, KeyPair keys, Instant from, Instant to) {
    X500Name name = name(subject);
    X509Certificate root =
        build(
            name,
            keys.getPrivate(),
            null,
            name,
            keys.getPublic(),
            from,
            to,
            true,
            KeyUsage.keyCertSign | KeyUsage.cRLSign);
    return new CertificateIssuer(root, keys.getPrivate());
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * A certificate for {@code publicKey} signed by this CA.
   *
   * @param keyUsage {@link KeyUsage} bits, e.g. {@code KeyUsage.digitalSignature}; 0 leaves the
   *     extension out
   */
  public X509Certificate issue(
      String subject, PublicKey publicKey, Instant from, Instant to, boolean ca, int keyUsage) {
    return build(
        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
        key,
        certificate,
        name(subject),
        publicKey,
        from,
        to,
        ca,
        keyUsage);
  }

  /**
   * A non-CA certificate for signing packets: {@code digitalSignature} and {@code nonRepudiation}.
   */
  public X509Certificate issueSigning(
      String subject, PublicKey publicKey, Instant from, Instant to) {
    return issue(
        subject, publicKey, from, to, false, KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
  }

  /** An intermediate CA under this one. */
  public CertificateIssuer issueIntermediate(
      String subject, KeyPair keys, Instant from, Instant to) {
    return new CertificateIssuer(
        issue(subject, keys.getPublic(), from, to, true, KeyUsage.keyCertSign | KeyUsage.cRLSign),
        keys.getPrivate());
  }

  /** An RFC 2253 name, e.g. {@code CN=Signer,O=Hospital}, read as the JDK reads it. */
  private static X500Name name(String rfc2253) {
    return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
  }

  private static X509Certificate build(
      X500Name issuer,
      PrivateKey issuerKey,
      X509Certificate issuerCertificate,
      X500Name subject,
      PublicKey publicKey,
      Instant from,
      Instant to,
      boolean ca,
      int keyUsage) {
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  issuer,
                  new BigInteger(127, RANDOM).add(BigInteger.ONE),
                  Date.from(from),
                  Date.from(to),
                  subject,
                  publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(publicKey));
      if (issuerCertificate != null) {
        builder.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            extensions.createAuthorityKeyIdentifier(issuerCertificate));
      }
      if (keyUsage != 0) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      String algorithm = issuerKey instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + subject, e);
    }
  }
}
