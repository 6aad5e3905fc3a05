package health.secondlook.server.security;

import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.referral.RecipientDirectory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * SecondLook's FHIR API ({@code /fhir/**}) as an OAuth2 resource server: every request but the
 * CapabilityStatement and the SMART configuration needs a bearer token from a trusted issuer (see
 * {@link FhirTokenIssuers}), and gets a 401 OperationOutcome without one. What a token then allows
 * is {@link FhirAccessRules}' to decide, inside the FHIR server, so it holds for every kind of
 * request. Once authorised, a request meets {@link FhirRequestLimitsFilter}'s bounds. No session is
 * kept and CSRF does not apply: FHIR clients send the token each time.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AccessProperties.class, RequestLimits.class})
class FhirApiSecurity {

  @Bean
  CallerDirectory callerDirectory(
      AccessProperties properties, EhrDirectory ehrs, RecipientDirectory recipients) {
    properties
        .organizations()
        .forEach(
            (name, org) -> {
              String setting = "secondlook.security.organizations." + name;
              if (org.role() == null) {
                throw new IllegalStateException(
                    setting + ".role is not set: referrer, recipient, auditor or operator");
              }
              if (org.issuer() == null || !properties.issuers().containsKey(org.issuer())) {
                throw new IllegalStateException(
                    setting
                        + ".issuer must name one of secondlook.security.issuers "
                        + properties.issuers().keySet()
                        + ", not "
                        + org.issuer());
              }
              if (org.role() == CallerRole.REFERRER && ehrs.find(name).isEmpty()) {
                throw new IllegalStateException(
                    setting + ": a referrer's name must be one of secondlook.ehrs " + ehrs.names());
              }
              if (org.role() == CallerRole.RECIPIENT && recipients.find(name).isEmpty()) {
                throw new IllegalStateException(
                    setting
                        + ": a recipient's name must be one of secondlook.recipients "
                        + recipients.names());
              }
            });
    return new CallerDirectory(properties.organizations());
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 20)
  SecurityFilterChain fhirApiChain(
      HttpSecurity http,
      AccessProperties properties,
      RequestLimits limits,
      CallerDirectory callers,
      PageTokens pages,
      ObjectProvider<AccessAudit> audit)
      throws Exception {
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    FhirAccessProblems problems = new FhirAccessProblems(audit);
    JwtIssuerAuthenticationManagerResolver issuers =
        new JwtIssuerAuthenticationManagerResolver(
            new FhirTokenIssuers(properties, callers, pages));
    return http.securityMatcher(paths.matcher("/fhir/**"))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        paths.matcher(HttpMethod.GET, "/fhir/metadata"),
                        paths.matcher(HttpMethod.GET, SmartConfigurationDocument.PATH))
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            resource ->
                resource
                    .authenticationManagerResolver(issuers)
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .addFilterAfter(new FhirRequestLimitsFilter(limits), AuthorizationFilter.class)
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .build();
  }
}
