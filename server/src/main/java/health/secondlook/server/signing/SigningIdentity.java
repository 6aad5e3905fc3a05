package health.secondlook.server.signing;

import com.nimbusds.jose.JWSAlgorithm;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The key a packet is signed with and the certificate chain that names its owner: {@code x5c} in
 * the signature, leaf first. {@code keyId} is the {@code kid} the JWKS publishes it under.
 */
public record SigningIdentity(
    PrivateKey key, List<X509Certificate> chain, String keyId, JWSAlgorithm alg) {

  public SigningIdentity {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a signing identity needs its certificate");
    }
    if (!Algorithms.SUPPORTED.contains(alg)) {
      throw new IllegalArgumentException("unsupported signature algorithm " + alg);
    }
    if (!Algorithms.fits(alg, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException(
          alg
              + " does not fit the certificate's "
              + chain.get(0).getPublicKey().getAlgorithm()
              + " key");
    }
  }

  /**
   * An identity whose {@code kid} is its certificate's SHA-256 thumbprint and whose algorithm fits
   * its key.
   */
  public static SigningIdentity of(PrivateKey key, List<X509Certificate> chain) {
    return new SigningIdentity(
        key,
        chain,
        Certificates.thumbprint(chain.get(0)),
        Algorithms.defaultFor(chain.get(0).getPublicKey()));
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }
}
