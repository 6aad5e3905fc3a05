package health.secondlook.server.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.referral.RecipientDirectory;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * Demo only: the sandbox EHR's OAuth2 and OpenID Connect authorisation server, on Spring
 * Authorization Server, at issuer {@code {host}/sandbox-ehr}. It signs in the demo's people,
 * performs SMART EHR and standalone launches (with {@code launch}, {@code aud}, PKCE, and {@code
 * patient} and {@code fhirContext} in the token response), serves the tumour board's OpenID Connect
 * sign-in, and issues Backend Services tokens to {@code private_key_jwt} clients. Its sessions live
 * beside SecondLook's in the same HTTP session, under keys of their own, so being signed in to the
 * sandbox never signs anyone in to SecondLook.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class SandboxIssuerConfiguration {

  static final String ISSUER_PATH = "/sandbox-ehr";
  static final String LOGIN_PATH = ISSUER_PATH + "/login";

  /** Keys for the demo's private_key_jwt clients, made before the settings that name them. */
  @Bean
  static DemoClientKeys demoClientKeys(Environment environment) {
    return new DemoClientKeys(environment);
  }

  @Bean
  SandboxUsers sandboxUsers() {
    return new SandboxUsers();
  }

  @Bean
  SandboxLaunchContexts sandboxLaunchContexts(Clock clock) {
    return new SandboxLaunchContexts(clock);
  }

  @Bean
  SandboxClients sandboxClients(
      EhrDirectory ehrs, RecipientDirectory recipients, Environment environment) {
    return new SandboxClients(ehrs, recipients, environment);
  }

  /** A signing key made at each start: the sandbox's tokens do not outlive it. */
  @Bean
  JWKSource<SecurityContext> sandboxTokenKeys() throws JOSEException {
    RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    return new ImmutableJWKSet<>(new JWKSet(key));
  }

  /** The issuer is taken from the request path, so it is {@code {host}/sandbox-ehr}. */
  @Bean
  AuthorizationServerSettings sandboxIssuerSettings() {
    return AuthorizationServerSettings.builder().multipleIssuersAllowed(true).build();
  }

  @Bean
  OAuth2AuthorizationService sandboxAuthorizations() {
    return new InMemoryOAuth2AuthorizationService();
  }

  @Bean
  SandboxLaunchTokens sandboxLaunchTokens(
      SandboxLaunchContexts contexts,
      SandboxUsers users,
      SandboxClients clients,
      OAuth2AuthorizationService authorizations) {
    return new SandboxLaunchTokens(
        contexts,
        users,
        clients,
        authorizations,
        Set.of(DemoSandboxConfiguration.SANDBOX_PATH, DemoSandboxConfiguration.RECIPIENT_PATH));
  }

  @Bean
  SandboxStaffTokens sandboxStaffTokens(JWKSource<SecurityContext> keys, Clock clock) {
    return new SandboxStaffTokens(keys, clock);
  }

  /**
   * The sandbox EHR's FHIR API takes only the sandbox's own access tokens, and only for what their
   * SMART scopes allow, like a production EHR: SecondLook's pull and write-back come with a Backend
   * Services token, its preview with the launching user's. Only the CapabilityStatement and the
   * SMART configuration are public.
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 11)
  SecurityFilterChain sandboxFhirChain(HttpSecurity http, JWKSource<SecurityContext> keys)
      throws Exception {
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    String fhir = DemoSandboxConfiguration.SANDBOX_PATH;
    return http.securityMatcher(paths.matcher(fhir + "/**"))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        paths.matcher(HttpMethod.GET, fhir + "/metadata"),
                        paths.matcher(HttpMethod.GET, fhir + SandboxSmartConfiguration.PATH))
                    .permitAll()
                    .anyRequest()
                    .access(new SandboxFhirScopes()))
        .oauth2ResourceServer(
            resource ->
                resource.jwt(
                    jwt -> jwt.decoder(OAuth2AuthorizationServerConfiguration.jwtDecoder(keys))))
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .build();
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 10)
  SecurityFilterChain sandboxIssuerChain(
      HttpSecurity http,
      SandboxUsers users,
      SandboxLaunchTokens launchTokens,
      SandboxLaunchContexts contexts,
      RegisteredClientRepository clients,
      JWKSource<SecurityContext> keys)
      throws Exception {
    OAuth2AuthorizationServerConfigurer issuer =
        OAuth2AuthorizationServerConfigurer.authorizationServer();
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponses =
        new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    tokenResponses.setAccessTokenResponseCustomizer(launchTokens::addLaunchContext);
    HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();
    sessions.setSpringSecurityContextKey("SANDBOX_EHR_SECURITY_CONTEXT");
    HttpSessionRequestCache savedRequests = new HttpSessionRequestCache();
    savedRequests.setSessionAttrName("SANDBOX_EHR_SAVED_REQUEST");
    MediaTypeRequestMatcher browsers = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
    browsers.setIgnoredMediaTypes(Set.of(MediaType.ALL));

    return http.securityMatcher(
            new OrRequestMatcher(
                issuer.getEndpointsMatcher(),
                paths.matcher(ISSUER_PATH + "/login"),
                paths.matcher(ISSUER_PATH + "/logout"),
                paths.matcher(ISSUER_PATH + "/chart/**"),
                paths.matcher(SandboxChartController.PICK_PATIENT_PATH),
                paths.matcher(SandboxClients.KEYS_PATH + "*"),
                paths.matcher(SandboxChartController.SPECIALIST_EHR_PATH + "/**")))
        .with(
            issuer,
            server ->
                server
                    .registeredClientRepository(clients)
                    .oidc(Customizer.withDefaults())
                    .authorizationEndpoint(
                        endpoint ->
                            endpoint.authenticationProviders(
                                providers ->
                                    providers.forEach(
                                        provider -> {
                                          if (provider
                                              instanceof
                                              OAuth2AuthorizationCodeRequestAuthenticationProvider
                                                  codes) {
                                            codes.setAuthenticationValidator(
                                                new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                                    .andThen(
                                                        launchTokens::checkAuthorizationRequest));
                                          }
                                        })))
                    .tokenEndpoint(token -> token.accessTokenResponseHandler(tokenResponses)))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        paths.matcher(LOGIN_PATH), paths.matcher(SandboxClients.KEYS_PATH + "*"))
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(
            form ->
                form.loginPage(LOGIN_PATH)
                    .loginProcessingUrl(LOGIN_PATH)
                    .defaultSuccessUrl(SandboxChartController.CHART_PATH)
                    .permitAll())
        .logout(
            logout ->
                logout
                    .logoutRequestMatcher(paths.matcher(ISSUER_PATH + "/logout"))
                    .logoutSuccessUrl(LOGIN_PATH + "?signed-out"))
        .userDetailsService(users.userDetails())
        .securityContext(context -> context.securityContextRepository(sessions))
        .requestCache(cache -> cache.requestCache(savedRequests))
        .exceptionHandling(
            exceptions ->
                exceptions.defaultAuthenticationEntryPointFor(
                    new LoginUrlAuthenticationEntryPoint(LOGIN_PATH), browsers))
        // The OpenID Connect user-info endpoint takes the sandbox's own access tokens.
        .oauth2ResourceServer(
            resource ->
                resource.jwt(
                    jwt -> jwt.decoder(OAuth2AuthorizationServerConfiguration.jwtDecoder(keys))))
        .addFilterAfter(new StandalonePatientPicker(), LogoutFilter.class)
        .csrf(csrf -> csrf.ignoringRequestMatchers(issuer.getEndpointsMatcher()))
        .build();
  }
}
