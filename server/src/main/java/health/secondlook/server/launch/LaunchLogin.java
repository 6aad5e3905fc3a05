package health.secondlook.server.launch;

import com.nimbusds.jose.jwk.JWK;
import health.secondlook.server.smart.LaunchClient;
import health.secondlook.server.smart.SigningKeys;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.client.OAuth2LoginConfigurer;
import org.springframework.security.oauth2.client.endpoint.NimbusJwtClientAuthenticationParametersConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.stereotype.Component;

/**
 * Spring Security's {@code oauth2Login}, set up for SMART App Launch and OpenID Connect sign-in:
 * SecondLook's discovered registrations, authorisation requests with PKCE S256, {@code aud} and
 * {@code launch}, {@code private_key_jwt} or {@code client_secret_basic} at the token endpoint, the
 * launch context read from the token response, and failures shown on a readable page. The tokens a
 * user gets live in their HTTP session and end with it.
 */
@Component
public class LaunchLogin implements Customizer<OAuth2LoginConfigurer<HttpSecurity>> {

  /** Where an unauthenticated visitor of a page is sent. */
  public static final String SIGN_IN_PAGE = LaunchController.SIGN_IN_PATH;

  private final LaunchRegistrations registrations;
  private final LaunchParties parties;
  private final OAuth2AuthorizedClientRepository authorizedClients =
      new HttpSessionOAuth2AuthorizedClientRepository();
  private final Map<String, JWK> clientKeys = new ConcurrentHashMap<>();

  LaunchLogin(LaunchRegistrations registrations, LaunchParties parties) {
    this.registrations = registrations;
    this.parties = parties;
  }

  /** Where the pages find the signed-in user's access token for their EHR. */
  public OAuth2AuthorizedClientRepository authorizedClients() {
    return authorizedClients;
  }

  /**
   * The CSP {@code frame-ancestors} sources: SecondLook itself and the origin of every EHR that
   * launches it, since EHRs show SMART apps in a frame of the chart.
   */
  public String frameAncestors() {
    StringBuilder sources = new StringBuilder("'self'");
    parties.all().stream()
        .filter(p -> p.kind().smart())
        .map(p -> java.net.URI.create(p.issuer()))
        .map(u -> u.getScheme() + "://" + u.getAuthority())
        .distinct()
        .forEach(origin -> sources.append(' ').append(origin));
    return sources.toString();
  }

  @Override
  public void customize(OAuth2LoginConfigurer<HttpSecurity> login) {
    SimpleUrlAuthenticationFailureHandler failure =
        new SimpleUrlAuthenticationFailureHandler(LaunchController.ERROR_PATH);
    failure.setUseForward(true);
    login
        .loginPage(SIGN_IN_PAGE)
        .clientRegistrationRepository(registrations)
        .authorizedClientRepository(authorizedClients)
        .authorizationEndpoint(
            a ->
                a.baseUri(SmartAuthorizationRequests.AUTHORIZATION_PATH)
                    .authorizationRequestResolver(
                        new SmartAuthorizationRequests(registrations, parties)))
        .tokenEndpoint(t -> t.accessTokenResponseClient(tokenClient()))
        .userInfoEndpoint(u -> u.oidcUserService(new LaunchUserService(parties)))
        .successHandler(new LaunchSuccessHandler())
        .failureHandler(failure);
  }

  private RestClientAuthorizationCodeTokenResponseClient tokenClient() {
    RestClientAuthorizationCodeTokenResponseClient client =
        new RestClientAuthorizationCodeTokenResponseClient();
    client.addParametersConverter(
        new NimbusJwtClientAuthenticationParametersConverter<OAuth2AuthorizationCodeGrantRequest>(
            this::clientKey));
    return client;
  }

  /** The private key a {@code private_key_jwt} client signs its assertion with. */
  private JWK clientKey(ClientRegistration registration) {
    return clientKeys.computeIfAbsent(
        registration.getRegistrationId(),
        id -> {
          LaunchClient client = parties.byRegistrationId(id).orElseThrow().client();
          return SigningKeys.load(
              client.keyFile(), client.keyId(), null, client.keyPassword(), null);
        });
  }
}
