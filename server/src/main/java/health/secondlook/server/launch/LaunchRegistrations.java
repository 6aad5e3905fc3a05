package health.secondlook.server.launch;

import com.fasterxml.jackson.databind.JsonNode;
import health.secondlook.server.launch.LaunchParty.Kind;
import health.secondlook.server.smart.LaunchClient;
import health.secondlook.server.smart.LaunchClient.ClientAuthentication;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Spring's client registrations for the {@link LaunchParties}, discovered on first use and then
 * kept: a SMART party's endpoints from {@code {iss}/.well-known/smart-configuration}, an OpenID
 * Connect identity provider's from its {@code .well-known/openid-configuration}. Discovery is lazy
 * because an EHR may be down when SecondLook starts; a failed discovery is not kept, so the next
 * launch tries again.
 */
@Component
class LaunchRegistrations implements ClientRegistrationRepository {

  private static final Logger log = LoggerFactory.getLogger(LaunchRegistrations.class);
  private static final String REDIRECT_URI = "{baseUrl}/login/oauth2/code/{registrationId}";
  private static final String SIGN_IN_SCOPE = "openid profile";

  private final LaunchParties parties;
  private final Map<String, ClientRegistration> discovered = new ConcurrentHashMap<>();
  private final RestClient http;

  LaunchRegistrations(LaunchParties parties) {
    this.parties = parties;
    SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
    requests.setConnectTimeout(Duration.ofSeconds(5));
    requests.setReadTimeout(Duration.ofSeconds(10));
    this.http = RestClient.builder().requestFactory(requests).build();
  }

  /** The registration, or {@code null} (as Spring expects) when unknown or not discoverable. */
  @Override
  public ClientRegistration findByRegistrationId(String registrationId) {
    try {
      return parties.byRegistrationId(registrationId).map(this::registration).orElse(null);
    } catch (LaunchDiscoveryException e) {
      log.warn("Sign-in through {} is not possible: {}", registrationId, e.getMessage());
      return null;
    }
  }

  /**
   * The party's registration, discovering it if needed.
   *
   * @throws LaunchDiscoveryException naming the URL tried and what was wrong
   */
  ClientRegistration registration(LaunchParty party) {
    ClientRegistration known = discovered.get(party.registrationId());
    if (known != null) {
      return known;
    }
    ClientRegistration fresh = party.kind().smart() ? smart(party) : openIdConnect(party);
    discovered.put(party.registrationId(), fresh);
    return fresh;
  }

  private ClientRegistration smart(LaunchParty party) {
    String url = party.issuer() + "/.well-known/smart-configuration";
    JsonNode configuration;
    try {
      configuration =
          http.get().uri(url).accept(MediaType.APPLICATION_JSON).retrieve().body(JsonNode.class);
    } catch (RestClientException e) {
      throw new LaunchDiscoveryException(
          "the EHR's SMART configuration at " + url + " could not be read: " + e.getMessage(), e);
    }
    if (configuration == null || !configuration.isObject()) {
      throw new LaunchDiscoveryException(url + " did not answer with a SMART configuration");
    }
    String authorize = required(configuration, "authorization_endpoint", url);
    String token = required(configuration, "token_endpoint", url);
    boolean s256 = false;
    for (JsonNode method : configuration.path("code_challenge_methods_supported")) {
      s256 |= "S256".equals(method.asText());
    }
    if (!s256) {
      throw new LaunchDiscoveryException(
          url + " does not list S256 in code_challenge_methods_supported; SMART 2.2 requires it");
    }
    String scope = party.client().scopeOr(defaultScope(party.kind()));
    ClientRegistration.Builder builder =
        base(party, scope).authorizationUri(authorize).tokenUri(token).userNameAttributeName("sub");
    if (configuration.hasNonNull("jwks_uri")) {
      builder.jwkSetUri(configuration.get("jwks_uri").asText());
    } else if (scope.contains("openid")) {
      throw new LaunchDiscoveryException(
          url + " has no jwks_uri, so the ID token that scope 'openid' asks for cannot be checked");
    }
    if (configuration.hasNonNull("issuer")) {
      builder.issuerUri(configuration.get("issuer").asText());
    }
    return builder.build();
  }

  private ClientRegistration openIdConnect(LaunchParty party) {
    ClientRegistration.Builder builder;
    try {
      builder = ClientRegistrations.fromIssuerLocation(party.issuer());
    } catch (RuntimeException e) {
      throw new LaunchDiscoveryException(
          "the identity provider "
              + party.issuer()
              + " could not be discovered through .well-known/openid-configuration: "
              + e.getMessage(),
          e);
    }
    return withClient(
            builder.registrationId(party.registrationId()),
            party,
            party.client().scopeOr(SIGN_IN_SCOPE))
        .build();
  }

  private static ClientRegistration.Builder base(LaunchParty party, String scope) {
    return withClient(ClientRegistration.withRegistrationId(party.registrationId()), party, scope);
  }

  /** What SecondLook's configuration, not the party's discovery, says about the client. */
  private static ClientRegistration.Builder withClient(
      ClientRegistration.Builder builder, LaunchParty party, String scope) {
    LaunchClient client = party.client();
    return builder
        .clientId(client.clientId())
        .clientSecret(client.clientSecret())
        .clientAuthenticationMethod(method(client))
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri(REDIRECT_URI)
        .scope(Arrays.asList(scope.split("\\s+")))
        .clientName(party.name());
  }

  static String defaultScope(Kind kind) {
    return kind == Kind.SPECIALIST_SIGN_IN ? SIGN_IN_SCOPE : LaunchClient.EHR_LAUNCH_SCOPE;
  }

  private static ClientAuthenticationMethod method(LaunchClient client) {
    return client.clientAuthentication() == ClientAuthentication.PRIVATE_KEY_JWT
        ? ClientAuthenticationMethod.PRIVATE_KEY_JWT
        : ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
  }

  private static String required(JsonNode configuration, String field, String url) {
    JsonNode value = configuration.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new LaunchDiscoveryException(url + " has no " + field);
    }
    return value.asText();
  }
}
