package health.secondlook.server.launch;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Builds the authorisation requests SecondLook sends: Spring's, with a random {@code state} and
 * {@code nonce}, plus PKCE with S256 (never {@code plain}) for every party, and for SMART parties
 * {@code aud} (the FHIR base URL) and the EHR's {@code launch} id. A SMART request without {@code
 * launch} is a standalone launch: {@code launch} becomes {@code launch/patient}, so the EHR asks
 * the user to pick a patient.
 */
class SmartAuthorizationRequests implements OAuth2AuthorizationRequestResolver {

  /** Where {@link LaunchController} sends the browser, with {@code ?launch=} for an EHR launch. */
  static final String AUTHORIZATION_PATH = "/oauth2/authorization";

  static final String LAUNCH = "launch";

  private final DefaultOAuth2AuthorizationRequestResolver spring;
  private final LaunchParties parties;

  SmartAuthorizationRequests(LaunchRegistrations registrations, LaunchParties parties) {
    this.parties = parties;
    this.spring = new DefaultOAuth2AuthorizationRequestResolver(registrations, AUTHORIZATION_PATH);
    this.spring.setAuthorizationRequestCustomizer(
        OAuth2AuthorizationRequestCustomizers.withPkce().andThen(this::addSmartParameters));
  }

  @Override
  public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
    return spring.resolve(request);
  }

  @Override
  public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
    return spring.resolve(request, registrationId);
  }

  /** Runs before Spring builds the request URI, so what is added here is sent. */
  private void addSmartParameters(OAuth2AuthorizationRequest.Builder builder) {
    String[] registrationId = new String[1];
    builder.attributes(
        a -> registrationId[0] = (String) a.get(OAuth2ParameterNames.REGISTRATION_ID));
    Optional<LaunchParty> party =
        parties.byRegistrationId(registrationId[0]).filter(p -> p.kind().smart());
    if (party.isEmpty()) {
      return;
    }
    String launch =
        RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current
            ? current.getRequest().getParameter(LAUNCH)
            : null;
    builder.additionalParameters(
        p -> {
          p.put("aud", party.get().issuer());
          if (launch != null && !launch.isBlank()) {
            p.put(LAUNCH, launch);
          }
        });
    if (launch == null || launch.isBlank()) {
      builder.scopes(standalone(builder.build().getScopes()));
    }
  }

  private static Set<String> standalone(Set<String> scopes) {
    Set<String> changed = new LinkedHashSet<>(scopes);
    if (changed.remove(LAUNCH)) {
      changed.add("launch/patient");
    }
    return changed;
  }
}
