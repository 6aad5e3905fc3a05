package health.secondlook.server.ehr;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.nimbusds.jose.jwk.JWK;
import health.secondlook.server.ehr.EhrEndpointProperties.Auth;
import health.secondlook.server.smart.SigningKeys;
import health.secondlook.server.smart.SmartBackendServicesClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * HAPI FHIR clients for the configured referring EHRs, one per EHR, created on first use and then
 * shared (HAPI's generic client is thread-safe). The pull route reads and searches through them.
 *
 * <p>Each EHR gets its own R4 {@link FhirContext}, separate from the JPA server's strict one: its
 * parser is lenient, because EHR data may carry elements our model does not know, and its client
 * factory carries that EHR's timeouts. Requests are JSON, skip the CapabilityStatement check, and
 * carry the EHR's bearer token: none, a fixed one, or a SMART Backend Services token that is
 * cached, renewed before expiry and, after a 401, dropped so that one retry gets a new one (see
 * {@link EhrFailures#isRetryable}). SMART signing keys are read when this bean is created, so a bad
 * key stops start-up. Concurrency limits are the caller's: see {@link EhrEndpoint#limits()}.
 */
@Component
public class EhrClients {

  private final EhrDirectory directory;
  private final Map<String, AccessTokens> tokens;
  private final Map<String, IGenericClient> clients = new ConcurrentHashMap<>();

  @Autowired
  public EhrClients(EhrDirectory directory) {
    this(directory, Clock.systemUTC());
  }

  /**
   * @param clock decides when SMART tokens are due for renewal
   */
  public EhrClients(EhrDirectory directory, Clock clock) {
    this.directory = directory;
    this.tokens =
        directory.names().stream()
            .map(name -> directory.find(name).orElseThrow())
            .collect(Collectors.toMap(EhrEndpoint::name, ehr -> accessTokens(ehr, clock)));
  }

  /**
   * The client for an EHR's FHIR base URL.
   *
   * @throws IllegalArgumentException if no EHR of that name is configured
   */
  public IGenericClient client(String ehrName) {
    return clients.computeIfAbsent(ehrName, name -> newClient(endpoint(name)));
  }

  /** Forgets the EHR's cached SMART token, so its next request asks for a new one. */
  public void invalidateToken(String ehrName) {
    tokens.get(endpoint(ehrName).name()).invalidate();
  }

  /**
   * A client for another FHIR server SecondLook sends to, such as a recipient's system, that
   * behaves like an EHR's: lenient parsing, JSON, no CapabilityStatement check, these timeouts, an
   * optional fixed bearer token, and failures that name the server and keep {@code Retry-After} for
   * {@link EhrFailures}.
   *
   * @param bearerToken sent as {@code Authorization: Bearer}; {@code null} or blank for none
   */
  public static IGenericClient plainClient(
      URI baseUrl, String bearerToken, Duration connectTimeout, Duration readTimeout) {
    AccessTokens tokens =
        bearerToken == null || bearerToken.isBlank()
            ? AccessTokens.none()
            : AccessTokens.bearer(bearerToken);
    return newClient(baseUrl, tokens, connectTimeout, readTimeout, 1);
  }

  private IGenericClient newClient(EhrEndpoint ehr) {
    return newClient(
        ehr.baseUrl(),
        tokens.get(ehr.name()),
        ehr.limits().connectTimeout(),
        ehr.limits().readTimeout(),
        ehr.limits().maxConcurrency());
  }

  private static IGenericClient newClient(
      URI baseUrl,
      AccessTokens tokens,
      Duration connectTimeout,
      Duration readTimeout,
      int maxConcurrency) {
    FhirContext context = FhirContext.forR4();
    context.setParserErrorHandler(new LenientErrorHandler().disableAllErrors());
    EhrGenericClient.Factory factory = new EhrGenericClient.Factory(context, tokens);
    factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
    factory.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
    factory.setSocketTimeout(Math.toIntExact(readTimeout.toMillis()));
    // never the bottleneck: the pull's own limit (max-concurrency) decides how many run at once
    factory.setPoolMaxPerRoute(Math.max(factory.getPoolMaxPerRoute(), maxConcurrency));
    factory.setPoolMaxTotal(Math.max(factory.getPoolMaxTotal(), maxConcurrency));
    context.setRestfulClientFactory(factory);
    return context.newRestfulGenericClient(baseUrl.toString());
  }

  private EhrEndpoint endpoint(String name) {
    return directory
        .find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "No EHR named '" + name + "' is configured; known: " + directory.names()));
  }

  private static AccessTokens accessTokens(EhrEndpoint ehr, Clock clock) {
    Auth auth = ehr.auth();
    return switch (auth.mode()) {
      case NONE -> AccessTokens.none();
      case BEARER -> AccessTokens.bearer(auth.token());
      case SMART_BACKEND -> {
        SmartBackendServicesClient.Registration registration =
            new SmartBackendServicesClient.Registration(
                ehr.name(),
                ehr.baseUrl(),
                auth.clientId(),
                signingKey(ehr),
                auth.tokenUrl(),
                auth.scope(),
                ehr.limits().connectTimeout(),
                ehr.limits().readTimeout());
        yield AccessTokens.smart(new SmartBackendServicesClient(registration, clock));
      }
    };
  }

  private static JWK signingKey(EhrEndpoint ehr) {
    Auth auth = ehr.auth();
    try {
      return SigningKeys.load(
          auth.keyFile(), auth.keyId(), auth.algorithm(), auth.keyPassword(), auth.keyAlias());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          EhrProperties.PREFIX + "." + ehr.name() + ".auth.key-file: " + e.getMessage(), e);
    }
  }
}
