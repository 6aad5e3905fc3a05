package health.secondlook.server.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SecondLook's packet-signing keys over time: the one that signs new packets (if any is configured)
 * and earlier ones, retired by rotation, whose packets still have to verify. It publishes all of
 * them as a JWK Set and names the self-signed roots of their chains, which SecondLook trusts.
 */
public final class SigningKeyRing {

  private final SigningIdentity current;
  private final List<List<X509Certificate>> previous;

  /**
   * @param current the signing identity; {@code null} when none is configured
   * @param previous the certificate chains (leaf first) of retired keys
   */
  public SigningKeyRing(SigningIdentity current, List<List<X509Certificate>> previous) {
    this.current = current;
    this.previous = previous.stream().map(List::copyOf).toList();
  }

  public Optional<SigningIdentity> current() {
    return Optional.ofNullable(current);
  }

  /**
   * The public keys, current first: {@code kid} (the certificate thumbprint), {@code use=sig},
   * {@code alg} and the whole chain as {@code x5c}.
   */
  public JWKSet jwks() {
    Map<String, JWK> keys = new LinkedHashMap<>();
    if (current != null) {
      keys.put(current.keyId(), jwk(current.chain(), current.keyId(), current.alg()));
    }
    for (List<X509Certificate> chain : previous) {
      String kid = Certificates.thumbprint(chain.get(0));
      keys.putIfAbsent(kid, jwk(chain, kid, Algorithms.defaultFor(chain.get(0).getPublicKey())));
    }
    return new JWKSet(new ArrayList<>(keys.values()));
  }

  /**
   * The self-signed certificates at the ends of the chains: the CAs that issued SecondLook's keys.
   */
  public List<X509Certificate> roots() {
    List<List<X509Certificate>> chains = new ArrayList<>(previous);
    if (current != null) {
      chains.add(0, current.chain());
    }
    return chains.stream()
        .map(chain -> chain.get(chain.size() - 1))
        .filter(SigningKeyRing::selfSigned)
        .distinct()
        .toList();
  }

  private static boolean selfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static JWK jwk(List<X509Certificate> chain, String kid, JWSAlgorithm alg) {
    try {
      JWK parsed = JWK.parse(chain.get(0));
      List<Base64> x5c = new ArrayList<>();
      for (X509Certificate certificate : chain) {
        x5c.add(Base64.encode(certificate.getEncoded()));
      }
      if (parsed instanceof RSAKey rsa) {
        return new RSAKey.Builder(rsa.toRSAPublicKey())
            .keyID(kid)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(alg)
            .x509CertChain(x5c)
            .x509CertSHA256Thumbprint(rsa.getX509CertSHA256Thumbprint())
            .build();
      }
      ECKey ec = (ECKey) parsed;
      return new ECKey.Builder(ec.getCurve(), ec.toECPublicKey())
          .keyID(kid)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(alg)
          .x509CertChain(x5c)
          .x509CertSHA256Thumbprint(ec.getX509CertSHA256Thumbprint())
          .build();
    } catch (JOSEException | CertificateEncodingException e) {
      throw new IllegalArgumentException(
          "cannot publish the key of " + chain.get(0).getSubjectX500Principal(), e);
    }
  }
}
