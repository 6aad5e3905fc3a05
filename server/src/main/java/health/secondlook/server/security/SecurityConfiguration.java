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
 * <p>SecondLook's FHIR API ({@code /fhir/**}) has a chain of its own, {@link FhirApiSecurity}:
 * bearer tokens, no sessions. CSRF protection is off for {@code /sandbox-ehr/fhir/**} and {@code
 * /sandbox-recipient/**}, which FHIR clients call without browser sessions, and on for the pages.
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
                    paths.matcher("/sandbox-ehr/fhir/**"), paths.matcher("/sandbox-recipient/**")))
        .build();
  }
}
