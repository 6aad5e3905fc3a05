package health.secondlook.server.smart;

import com.nimbusds.jose.JWSAlgorithm;
import java.security.PrivateKey;
import java.security.interfaces.ECKey;

/**
 * The JWS algorithms SMART Backend Services requires a client to support for its {@code
 * private_key_jwt} assertion.
 */
public enum SigningAlgorithm {
  RS384(JWSAlgorithm.RS384),
  ES384(JWSAlgorithm.ES384);

  private final JWSAlgorithm jws;

  SigningAlgorithm(JWSAlgorithm jws) {
    this.jws = jws;
  }

  JWSAlgorithm jws() {
    return jws;
  }

  /** ES384 for an EC key, RS384 otherwise. */
  static SigningAlgorithm defaultFor(PrivateKey key) {
    return key instanceof ECKey ? ES384 : RS384;
  }
}
