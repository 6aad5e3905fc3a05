package health.secondlook.server.signing;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes SecondLook's packet-signing public keys, current and retired, at {@code
 * /.well-known/jwks.json}: a receiver can look a packet's {@code kid} up there.
 */
@RestController
class JwksController {

  private final String jwks;

  JwksController(SigningKeyRing keys) {
    // Keys change only with the configuration, that is at a restart.
    this.jwks = keys.jwks().toString(true);
  }

  @GetMapping(path = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
  String jwks() {
    return jwks;
  }
}
