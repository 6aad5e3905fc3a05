package health.secondlook.server.demo;

import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Demo only: the public key each {@code private_key_jwt} client registered with the sandbox, as a
 * JWK Set at the URL the sandbox's token endpoint checks client assertions against, the way a
 * client registers a {@code jwks_uri} with a real EHR.
 */
@RestController
@Profile("demo")
class SandboxRegisteredKeys {

  private final SandboxClients clients;

  SandboxRegisteredKeys(SandboxClients clients) {
    this.clients = clients;
  }

  @GetMapping(SandboxClients.KEYS_PATH + "{clientId}")
  ResponseEntity<Map<String, Object>> keys(@PathVariable String clientId) {
    return clients
        .publicKeys(clientId)
        .map(keys -> ResponseEntity.ok(keys.toJSONObject()))
        .orElse(ResponseEntity.notFound().build());
  }
}
