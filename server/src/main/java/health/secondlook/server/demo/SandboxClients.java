package health.secondlook.server.demo;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.ehr.EhrEndpoint;
import health.secondlook.server.ehr.EhrEndpointProperties;
import health.secondlook.server.referral.RecipientDirectory;
import health.secondlook.server.smart.LaunchClient;
import health.secondlook.server.smart.SigningKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The clients the sandbox authorisation server knows: SecondLook as a SMART launch client of the
 * sandbox EHR and of the sandbox recipient (the specialist's EHR), and as an OpenID Connect client
 * of the tumour board's sign-in, each with the id and secret SecondLook itself is configured with.
 * They are registered when first asked for, once the server's port, and so the redirect URIs, are
 * known. PKCE is required of every client.
 */
final class SandboxClients implements RegisteredClientRepository {

  /** SMART scopes the sandbox grants: patient- and user-level reads and searches, v2 syntax. */
  static final List<String> SMART_SCOPES =
      List.of(
          "openid",
          "fhirUser",
          "profile",
          "launch",
          "launch/patient",
          "patient/*.rs",
          "patient/*.read",
          "user/*.rs",
          "user/*.read");

  /** SMART Backend Services scopes the sandbox grants: system-level reads, searches and writes. */
  static final List<String> BACKEND_SCOPES =
      List.of("system/*.rs", "system/*.cu", "system/*.cruds", "system/*.read", "system/*.write");

  /** Where each private_key_jwt client's registered public key is published. */
  static final String KEYS_PATH = "/sandbox-ehr/registered-keys/";

  private final Map<String, JWK> publicKeys = new ConcurrentHashMap<>();
  private final Set<String> specialistClients = ConcurrentHashMap.newKeySet();
  private final EhrDirectory ehrs;
  private final RecipientDirectory recipients;
  private final Environment environment;
  private volatile RegisteredClientRepository registered;

  SandboxClients(EhrDirectory ehrs, RecipientDirectory recipients, Environment environment) {
    this.ehrs = ehrs;
    this.recipients = recipients;
    this.environment = environment;
  }

  /** Spring saves a client again when it re-encodes its secret after a sign-in. */
  @Override
  public void save(RegisteredClient registeredClient) {
    repository().save(registeredClient);
  }

  @Override
  public RegisteredClient findById(String id) {
    return repository().findById(id);
  }

  @Override
  public RegisteredClient findByClientId(String clientId) {
    return repository().findByClientId(clientId);
  }

  private RegisteredClientRepository repository() {
    if (registered == null) {
      synchronized (this) {
        if (registered == null) {
          registered = new InMemoryRegisteredClientRepository(clients());
        }
      }
    }
    return registered;
  }

  private List<RegisteredClient> clients() {
    List<RegisteredClient> clients = new ArrayList<>();
    for (String name : ehrs.names()) {
      EhrEndpoint ehr = ehrs.find(name).orElseThrow();
      ehr.launch().ifPresent(c -> clients.add(client(c, "ehr-" + name, SMART_SCOPES)));
      if (ehr.auth().mode() == EhrEndpointProperties.AuthMode.SMART_BACKEND) {
        clients.add(backendServices(ehr.auth()));
      }
    }
    for (String name : recipients.names()) {
      RecipientDirectory.Recipient recipient = recipients.find(name).orElseThrow();
      if (recipient.launch() != null) {
        clients.add(client(recipient.launch(), "specialist-ehr-" + name, SMART_SCOPES));
        specialistClients.add(recipient.launch().clientId());
      }
      if (recipient.signIn() != null) {
        clients.add(client(recipient.signIn(), "sign-in-" + name, List.of("openid", "profile")));
        specialistClients.add(recipient.signIn().clientId());
      }
    }
    if (clients.isEmpty()) {
      throw new IllegalStateException(
          "The sandbox authorisation server has no clients: configure secondlook.ehrs.<name>.launch"
              + " or secondlook.recipients.<name>.sign-in");
    }
    return clients;
  }

  private RegisteredClient client(LaunchClient client, String registrationId, List<String> scopes) {
    ClientSettings.Builder settings =
        ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false);
    RegisteredClient.Builder builder =
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(client.clientId())
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUris(uris -> uris.addAll(redirectUris(registrationId)))
            .scopes(s -> s.addAll(scopes))
            .tokenSettings(
                TokenSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(15)).build());
    if (client.clientAuthentication() == LaunchClient.ClientAuthentication.PRIVATE_KEY_JWT) {
      JWK key =
          SigningKeys.load(client.keyFile(), client.keyId(), null, client.keyPassword(), null);
      builder.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
      publicKeys.put(client.clientId(), key.toPublicJWK());
      settings
          .jwkSetUrl(keysUrl(client.clientId()))
          .tokenEndpointAuthenticationSigningAlgorithm(algorithm(key));
    } else {
      builder
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
          .clientSecret("{noop}" + client.clientSecret());
    }
    return builder.clientSettings(settings.build()).build();
  }

  /** SMART Backend Services: client_credentials, authenticated by a private_key_jwt assertion. */
  private RegisteredClient backendServices(EhrEndpointProperties.Auth auth) {
    JWK key =
        SigningKeys.load(
            auth.keyFile(), auth.keyId(), auth.algorithm(), auth.keyPassword(), auth.keyAlias());
    publicKeys.put(auth.clientId(), key.toPublicJWK());
    return RegisteredClient.withId(UUID.randomUUID().toString())
        .clientId(auth.clientId())
        .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .scopes(s -> s.addAll(BACKEND_SCOPES))
        .clientSettings(
            ClientSettings.builder()
                .jwkSetUrl(keysUrl(auth.clientId()))
                .tokenEndpointAuthenticationSigningAlgorithm(algorithm(key))
                .build())
        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(5)).build())
        .build();
  }

  /** Whether the client is a receiving organisation's, which only specialists may sign in to. */
  boolean forSpecialists(String clientId) {
    repository();
    return specialistClients.contains(clientId);
  }

  /**
   * The public key a {@code private_key_jwt} client registered, as the JWK Set the sandbox serves
   * at {@link #KEYS_PATH}{@code {clientId}}, where its own token endpoint fetches it.
   */
  Optional<JWKSet> publicKeys(String clientId) {
    repository();
    return Optional.ofNullable(publicKeys.get(clientId)).map(JWKSet::new);
  }

  private String keysUrl(String clientId) {
    return localBase() + KEYS_PATH + clientId;
  }

  private static SignatureAlgorithm algorithm(JWK key) {
    return key instanceof ECKey ? SignatureAlgorithm.ES384 : SignatureAlgorithm.RS384;
  }

  private String localBase() {
    return "http://localhost:"
        + environment.getProperty(
            "local.server.port", environment.getProperty("server.port", "8080"));
  }

  /** The browser may reach the demo as localhost or 127.0.0.1, or at its public URL. */
  private Set<String> redirectUris(String registrationId) {
    String local = localBase();
    Set<String> bases =
        new LinkedHashSet<>(List.of(local, local.replace("//localhost:", "//127.0.0.1:")));
    String publicUrl = environment.getProperty("secondlook.fhir.server-address", "");
    if (!publicUrl.isBlank()) {
      bases.add(publicUrl.replaceAll("/fhir/?$", ""));
    }
    Set<String> uris = new LinkedHashSet<>();
    bases.forEach(b -> uris.add(b + "/login/oauth2/code/" + registrationId));
    return uris;
  }
}
