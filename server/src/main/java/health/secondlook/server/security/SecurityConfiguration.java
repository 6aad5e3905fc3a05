package health.secondlook.server.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * SecondLook's HTTP security. Spring Security is on the classpath for the SMART Backend Services
 * client SecondLook uses towards EHRs; without this chain Boot would put HTTP Basic with a
 * generated password in front of every endpoint.
 *
 * <p><b>Authorization of SecondLook's own FHIR API (SMART on FHIR) is not in place yet:</b> every
 * request is permitted. CSRF protection is off for {@code /fhir/**}, {@code /sandbox-ehr/**} and
 * {@code /sandbox-recipient/**}, which FHIR clients call without browser sessions, and stays on for
 * everything else (future web pages). The API's description ({@code /fhir/metadata}, {@code
 * /fhir/api-docs}, {@code /fhir/swagger-ui/}) is under {@code /fhir/**} too, so it is open with the
 * rest; whoever adds authorization decides whether it stays open.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .csrf(
            csrf ->
                csrf.ignoringRequestMatchers(
                    paths.matcher("/fhir/**"),
                    paths.matcher("/sandbox-ehr/**"),
                    paths.matcher("/sandbox-recipient/**")))
        .build();
  }
}
