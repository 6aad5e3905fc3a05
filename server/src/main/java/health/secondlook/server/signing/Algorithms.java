package health.secondlook.server.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Set;

/**
 * The JWS algorithms packet signatures may use: RS256 (CDex's mandatory one), ES256, and their
 * close relatives. Never {@code none} nor an HMAC, which needs no private key to forge.
 */
final class Algorithms {

  static final Set<JWSAlgorithm> SUPPORTED =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.PS256,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384);

  private Algorithms() {}

  static boolean fits(JWSAlgorithm alg, PublicKey key) {
    if (JWSAlgorithm.Family.RSA.contains(alg)) {
      return key instanceof RSAPublicKey;
    }
    return key instanceof ECPublicKey ec
        && curve(alg).equals(Curve.forECParameterSpec(ec.getParams()));
  }

  /** RS256 for RSA keys, ES256 on P-256, ES384 on P-384. */
  static JWSAlgorithm defaultFor(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return JWSAlgorithm.RS256;
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (Curve.P_256.equals(curve)) {
        return JWSAlgorithm.ES256;
      }
      if (Curve.P_384.equals(curve)) {
        return JWSAlgorithm.ES384;
      }
    }
    throw new IllegalArgumentException(
        "packet signing keys are RSA, or EC on P-256 or P-384; not " + key.getAlgorithm());
  }

  static JWSSigner signer(PrivateKey key, JWSAlgorithm alg) throws JOSEException {
    return JWSAlgorithm.Family.RSA.contains(alg)
        ? new RSASSASigner(key)
        : new ECDSASigner((ECPrivateKey) key);
  }

  /**
   * A JCA signature for {@code alg}, ready to sign with {@code key}, for a signing input too large
   * to hand over in one array. EC signatures come out as JWS wants them: raw R‖S (IEEE P1363).
   */
  static java.security.Signature jcaSigner(PrivateKey key, JWSAlgorithm alg)
      throws GeneralSecurityException {
    java.security.Signature signature = jca(alg);
    signature.initSign(key);
    return signature;
  }

  /** {@link #jcaSigner}'s counterpart, ready to verify with {@code key}. */
  static java.security.Signature jcaVerifier(PublicKey key, JWSAlgorithm alg)
      throws GeneralSecurityException {
    java.security.Signature signature = jca(alg);
    signature.initVerify(key);
    return signature;
  }

  private static java.security.Signature jca(JWSAlgorithm alg) throws GeneralSecurityException {
    if (JWSAlgorithm.PS256.equals(alg)) {
      java.security.Signature signature = java.security.Signature.getInstance("RSASSA-PSS");
      signature.setParameter(
          new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      return signature;
    }
    String digest = alg.getName().endsWith("384") ? "SHA384" : "SHA256";
    return java.security.Signature.getInstance(
        JWSAlgorithm.Family.RSA.contains(alg)
            ? digest + "withRSA"
            : digest + "withECDSAinP1363Format");
  }

  private static Curve curve(JWSAlgorithm alg) {
    return JWSAlgorithm.ES384.equals(alg) ? Curve.P_384 : Curve.P_256;
  }
}
