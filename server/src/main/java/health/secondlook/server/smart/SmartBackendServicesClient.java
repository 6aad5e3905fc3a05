package health.secondlook.server.smart;

import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.endpoint.NimbusJwtClientAuthenticationParametersConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Obtains the access token SecondLook presents when it pulls a referral's records from one EHR,
 * following SMART App Launch 2.x Backend Services: {@code client_credentials} grant, the client
 * authenticated by a {@code private_key_jwt} assertion signed RS384 or ES384 (header {@code kid},
 * {@code typ: JWT}; claims {@code iss = sub = client_id}, {@code aud} = token URL, a unique {@code
 * jti}, {@code exp} under five minutes ahead). The token URL is configured or discovered from the
 * EHR's {@code .well-known/smart-configuration}. The token is cached and renewed a minute before it
 * expires. Built on Spring Security's OAuth2 client; one instance per EHR, safe to share between
 * threads.
 */
public final class SmartBackendServicesClient {

  /** No request should leave with a token about to lapse in flight. */
  static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);

  /**
   * Under the spec's five-minute ceiling, with room for an EHR whose clock runs a few minutes fast.
   */
  static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(4);

  private static final String PRINCIPAL = "secondlook";

  /**
   * How SecondLook is registered with one EHR's authorization server.
   *
   * @param ehrName the configured EHR name, used in messages
   * @param fhirBaseUrl where {@code .well-known/smart-configuration} is found
   * @param clientId the client id the EHR issued
   * @param signingKey private key with {@code kid} and {@code alg} (see {@link SigningKeys})
   * @param tokenUrl the token endpoint; {@code null} to discover it
   * @param scope space-separated scopes, e.g. {@code system/*.rs}
   */
  public record Registration(
      String ehrName,
      URI fhirBaseUrl,
      String clientId,
      JWK signingKey,
      URI tokenUrl,
      String scope,
      Duration connectTimeout,
      Duration readTimeout) {

    @Override
    public String toString() {
      return "Registration["
          + ehrName
          + ", client "
          + clientId
          + ", key "
          + signingKey.getKeyID()
          + "]";
    }
  }

  private final Registration registration;
  private final RestClient discovery;
  private final InMemoryOAuth2AuthorizedClientService tokens;
  private final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;
  private volatile ClientRegistration clientRegistration;

  public SmartBackendServicesClient(Registration registration) {
    this(registration, Clock.systemUTC());
  }

  /**
   * @param clock decides when the cached token is due for renewal
   */
  public SmartBackendServicesClient(Registration registration, Clock clock) {
    this.registration = registration;
    JdkClientHttpRequestFactory requests =
        new JdkClientHttpRequestFactory(
            HttpClient.newBuilder().connectTimeout(registration.connectTimeout()).build());
    requests.setReadTimeout(registration.readTimeout());
    this.discovery = RestClient.builder().requestFactory(requests).build();

    RestClientClientCredentialsTokenResponseClient tokenRequests =
        new RestClientClientCredentialsTokenResponseClient();
    tokenRequests.setRestClient(
        RestClient.builder()
            .requestFactory(requests)
            .messageConverters(
                converters -> {
                  converters.clear();
                  converters.add(new FormHttpMessageConverter());
                  converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
            .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
            .build());
    NimbusJwtClientAuthenticationParametersConverter<OAuth2ClientCredentialsGrantRequest>
        assertion =
            new NimbusJwtClientAuthenticationParametersConverter<>(r -> registration.signingKey());
    assertion.setJwtClientAssertionCustomizer(
        context -> {
          context.getHeaders().type("JWT");
          context
              .getClaims()
              .claims(
                  claims ->
                      claims.put(
                          JwtClaimNames.EXP,
                          ((Instant) claims.get(JwtClaimNames.IAT)).plus(ASSERTION_LIFETIME)));
        });
    tokenRequests.addParametersConverter(assertion);

    ClientCredentialsOAuth2AuthorizedClientProvider provider =
        new ClientCredentialsOAuth2AuthorizedClientProvider();
    provider.setAccessTokenResponseClient(tokenRequests);
    provider.setClockSkew(RENEW_BEFORE_EXPIRY);
    provider.setClock(clock);

    // The registration exists only once the token URL is known, which may need discovery.
    this.tokens = new InMemoryOAuth2AuthorizedClientService(id -> clientRegistration);
    this.manager =
        new AuthorizedClientServiceOAuth2AuthorizedClientManager(id -> clientRegistration, tokens);
    this.manager.setAuthorizedClientProvider(provider);
  }

  /**
   * A current access token: the cached one, or a new one if none is cached or it expires within
   * {@link #RENEW_BEFORE_EXPIRY}.
   *
   * @throws SmartTokenException naming the EHR and the token URL
   */
  public synchronized String accessToken() {
    ClientRegistration client = clientRegistration();
    try {
      OAuth2AuthorizedClient authorized =
          manager.authorize(
              OAuth2AuthorizeRequest.withClientRegistrationId(client.getRegistrationId())
                  .principal(PRINCIPAL)
                  .build());
      return authorized.getAccessToken().getTokenValue();
    } catch (OAuth2AuthorizationException | RestClientException e) {
      throw new SmartTokenException(
          "EHR '%s': token request to %s failed: %s"
              .formatted(
                  registration.ehrName(), client.getProviderDetails().getTokenUri(), reason(e)),
          isRetryable(e),
          e);
    }
  }

  /** The cached token, if any, without contacting the EHR. */
  public Optional<String> cachedToken() {
    ClientRegistration client = clientRegistration;
    return Optional.ofNullable(client)
        .map(
            c ->
                tokens.<OAuth2AuthorizedClient>loadAuthorizedClient(
                    c.getRegistrationId(), PRINCIPAL))
        .map(authorized -> authorized.getAccessToken().getTokenValue());
  }

  /** Forgets the cached token, so the next {@link #accessToken()} asks for a new one. */
  public synchronized void invalidate() {
    ClientRegistration client = clientRegistration;
    if (client != null) {
      tokens.removeAuthorizedClient(client.getRegistrationId(), PRINCIPAL);
    }
  }

  /**
   * The token endpoint, discovering it on first use if it is not configured.
   *
   * @throws SmartTokenException if discovery fails
   */
  public URI tokenUrl() {
    return URI.create(clientRegistration().getProviderDetails().getTokenUri());
  }

  private synchronized ClientRegistration clientRegistration() {
    if (clientRegistration == null) {
      URI tokenUrl = registration.tokenUrl() != null ? registration.tokenUrl() : discoverTokenUrl();
      clientRegistration =
          ClientRegistration.withRegistrationId(registration.ehrName())
              .clientId(registration.clientId())
              .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
              .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
              .scope(registration.scope().trim().split("\\s+"))
              .tokenUri(tokenUrl.toString())
              .build();
    }
    return clientRegistration;
  }

  private URI discoverTokenUrl() {
    String base = registration.fhirBaseUrl().toString().replaceAll("/+$", "");
    String wellKnown = base + "/.well-known/smart-configuration";
    Map<?, ?> configuration;
    try {
      configuration =
          discovery
              .get()
              .uri(wellKnown)
              .accept(MediaType.APPLICATION_JSON)
              .retrieve()
              .body(Map.class);
    } catch (RestClientException e) {
      throw new SmartTokenException(
          "EHR '%s': cannot read %s to find the token URL: %s"
              .formatted(registration.ehrName(), wellKnown, reason(e)),
          isRetryable(e),
          e);
    }
    if (configuration == null || !(configuration.get("token_endpoint") instanceof String url)) {
      throw new SmartTokenException(
          "EHR '%s': %s names no token_endpoint; set auth.token-url"
              .formatted(registration.ehrName(), wellKnown),
          false,
          null);
    }
    return URI.create(url);
  }

  /** Token endpoint overloaded, failing or unreachable: worth another try. Refusals are not. */
  private static boolean isRetryable(Exception e) {
    if (NestedExceptionUtils.getMostSpecificCause(e) instanceof IOException
        || findCause(e, ResourceAccessException.class) != null) {
      return true;
    }
    RestClientResponseException response = findCause(e, RestClientResponseException.class);
    return response != null
        && (response.getStatusCode().value() == 429 || response.getStatusCode().is5xxServerError());
  }

  private static String reason(Exception e) {
    RestClientResponseException response = findCause(e, RestClientResponseException.class);
    if (response != null) {
      String body = response.getResponseBodyAsString();
      return "HTTP %d %s%s"
          .formatted(
              response.getStatusCode().value(),
              response.getStatusText(),
              body.isBlank() ? "" : ": " + abbreviate(body));
    }
    if (e instanceof OAuth2AuthorizationException authorization
        && !(authorization.getCause() instanceof RestClientException)) {
      OAuth2Error error = authorization.getError();
      return error.getErrorCode()
          + (error.getDescription() == null ? "" : ": " + error.getDescription());
    }
    return String.valueOf(NestedExceptionUtils.getMostSpecificCause(e));
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
