package health.secondlook.server.security;

import health.secondlook.server.launch.LaunchLogin;
import health.secondlook.server.launch.SignedInUser;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * SecondLook's HTTP security. The referrer's pages ({@code /referrer/**}) need a SMART launch from
 * a referring EHR; the specialist's pages ({@code /specialist/**}) a specialist's launch or sign-in
 * (see {@link LaunchLogin}). A visitor without one is sent to the sign-in page. Pages may be framed
 * by SecondLook itself and by the EHRs that launch it, and no one else.
 *
 * <p><b>Authorization of SecondLook's own FHIR API is not in place yet:</b> every {@code /fhir}
 * request is permitted. CSRF protection is off for {@code /fhir/**}, {@code /sandbox-ehr/fhir/**}
 * and {@code /sandbox-recipient/**}, which FHIR clients call without browser sessions, and on for
 * the pages. The API's description ({@code /fhir/metadata}, {@code /fhir/api-docs}, {@code
 * /fhir/swagger-ui/}) is under {@code /fhir/**} too, so it is open with the rest; whoever adds
 * authorization decides whether it stays open.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, LaunchLogin launchLogin)
      throws Exception {
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    return http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(paths.matcher("/referrer/**"))
                    .hasAuthority(SignedInUser.REFERRER)
                    .requestMatchers(paths.matcher("/specialist/**"))
                    .hasAuthority(SignedInUser.SPECIALIST)
                    .anyRequest()
                    .permitAll())
        .oauth2Login(launchLogin)
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                    new LoginUrlAuthenticationEntryPoint(LaunchLogin.SIGN_IN_PAGE)))
        .headers(
            headers ->
                headers
                    .frameOptions(frame -> frame.disable())
                    .contentSecurityPolicy(
                        csp ->
                            csp.policyDirectives(
                                "frame-ancestors " + launchLogin.frameAncestors())))
        .csrf(
            csrf ->
                csrf.ignoringRequestMatchers(
                    paths.matcher("/fhir/**"),
                    paths.matcher("/sandbox-ehr/fhir/**"),
                    paths.matcher("/sandbox-recipient/**")))
        .build();
  }
}
