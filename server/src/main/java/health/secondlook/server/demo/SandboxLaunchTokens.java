package health.secondlook.server.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * SMART App Launch on top of Spring Authorization Server, for the sandbox: an authorisation request
 * that asks for scope {@code launch} must carry a {@code launch} id the sandbox issued and an
 * {@code aud} that is one of the sandbox's FHIR base URLs; the token response then names the
 * launch's {@code patient} and {@code fhirContext}; access tokens carry {@code patient} and ID
 * tokens {@code fhirUser} and the user's name.
 */
final class SandboxLaunchTokens implements OAuth2TokenCustomizer<JwtEncodingContext> {

  private static final String LAUNCH = "launch";

  private final SandboxLaunchContexts contexts;
  private final SandboxUsers users;
  private final SandboxClients clients;
  private final OAuth2AuthorizationService authorizations;
  private final Set<String> fhirPaths;

  /**
   * @param fhirPaths the paths of the FHIR servers tokens are for, e.g. {@code /sandbox-ehr/fhir};
   *     an {@code aud} must be one of them on this server
   */
  SandboxLaunchTokens(
      SandboxLaunchContexts contexts,
      SandboxUsers users,
      SandboxClients clients,
      OAuth2AuthorizationService authorizations,
      Set<String> fhirPaths) {
    this.contexts = contexts;
    this.users = users;
    this.clients = clients;
    this.authorizations = authorizations;
    this.fhirPaths = fhirPaths;
  }

  /**
   * Checks who may sign in to which client (a referring clinician to SecondLook as the EHR's app, a
   * specialist to the tumour board's), then {@code launch} and {@code aud}. Runs after Spring's own
   * checks of the request.
   */
  void checkAuthorizationRequest(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
    OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
    if (request.getPrincipal() instanceof Authentication user
        && user.isAuthenticated()
        && !(user instanceof AnonymousAuthenticationToken)) {
      boolean specialist =
          users.find(user.getName()).map(SandboxUsers.Person::isSpecialist).orElse(false);
      if (specialist != clients.forSpecialists(request.getClientId())) {
        throw new OAuth2AuthorizationCodeRequestAuthenticationException(
            new OAuth2Error(
                OAuth2ErrorCodes.ACCESS_DENIED,
                user.getName() + " may not sign in to " + request.getClientId(),
                null),
            request);
      }
    }
    Map<String, Object> parameters = request.getAdditionalParameters();
    boolean smart =
        request.getScopes().stream().anyMatch(s -> s.equals(LAUNCH) || s.startsWith("launch/"));
    if (!smart) {
      return;
    }
    Object aud = parameters.get("aud");
    if (!(aud instanceof String audience) || fhirPaths.stream().noneMatch(audience::endsWith)) {
      refuse(request, "aud must be this sandbox's FHIR base URL, not " + aud);
    }
    if (request.getScopes().contains(LAUNCH)
        && contexts.find((String) parameters.get(LAUNCH)).isEmpty()) {
      refuse(request, "launch is missing, unknown or expired");
    }
  }

  /** Adds the launch context to the token response, beside the tokens. */
  void addLaunchContext(OAuth2AccessTokenAuthenticationContext context) {
    OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
    Optional<SandboxLaunchContexts.Context> launch =
        Optional.ofNullable(
                authorizations.findByToken(
                    issued.getAccessToken().getTokenValue(), OAuth2TokenType.ACCESS_TOKEN))
            .flatMap(this::launchOf);
    if (launch.isEmpty()) {
      return;
    }
    Map<String, Object> parameters = new LinkedHashMap<>(issued.getAdditionalParameters());
    if (launch.get().patient() != null) {
      parameters.put("patient", launch.get().patient());
    }
    if (!launch.get().fhirContext().isEmpty()) {
      parameters.put("fhirContext", launch.get().fhirContext());
    }
    context.getAccessTokenResponse().additionalParameters(parameters);
  }

  @Override
  public void customize(JwtEncodingContext context) {
    String username = context.getPrincipal().getName();
    users
        .find(username)
        .ifPresent(
            person -> {
              if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                String issuer = context.getAuthorizationServerContext().getIssuer();
                String origin = issuer.substring(0, issuer.indexOf('/', "https://".length()));
                context.getClaims().claim("fhirUser", origin + person.fhirUser());
                context.getClaims().claim("name", person.name());
              }
            });
    if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())
        && context.getAuthorization() != null) {
      launchOf(context.getAuthorization())
          .filter(l -> l.patient() != null)
          .ifPresent(l -> context.getClaims().claim("patient", l.patient()));
    }
  }

  private Optional<SandboxLaunchContexts.Context> launchOf(OAuth2Authorization authorization) {
    OAuth2AuthorizationRequest request =
        authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
    return request == null
        ? Optional.empty()
        : contexts.find((String) request.getAdditionalParameters().get(LAUNCH));
  }

  private static void refuse(
      OAuth2AuthorizationCodeRequestAuthenticationToken request, String why) {
    throw new OAuth2AuthorizationCodeRequestAuthenticationException(
        new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, why, null), request);
  }
}
