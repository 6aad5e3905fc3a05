package health.secondlook.server.security;

import health.secondlook.server.security.AccessProperties.TrustedIssuer;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * The token issuers SecondLook's FHIR API trusts, by {@code iss}: each configured authorisation
 * server (keys from its JWKS, fetched when its first token arrives and cached), and SecondLook's
 * own {@link PageTokens}. A token from any other issuer is refused before its signature is looked
 * at.
 */
final class FhirTokenIssuers implements AuthenticationManagerResolver<String> {

  private final Map<String, AuthenticationManager> byIssuer = new HashMap<>();

  FhirTokenIssuers(AccessProperties properties, CallerDirectory directory, PageTokens pages) {
    properties
        .issuers()
        .forEach(
            (name, issuer) ->
                byIssuer.put(
                    issuer.issuerUri().toString(),
                    manager(decoder(name, issuer), jwt -> directory.caller(name, jwt))));
    byIssuer.put(PageTokens.ISSUER, manager(pages.decoder(), PageTokens::caller));
  }

  @Override
  public AuthenticationManager resolve(String issuer) {
    return byIssuer.get(issuer);
  }

  private static JwtDecoder decoder(String name, TrustedIssuer issuer) {
    String setting = "secondlook.security.issuers." + name;
    if (issuer.issuerUri() == null) {
      throw new IllegalStateException(setting + ".issuer-uri is not set");
    }
    if (issuer.audience() == null || issuer.audience().isBlank()) {
      throw new IllegalStateException(
          setting + ".audience is not set: the aud its tokens for SecondLook carry");
    }
    NimbusJwtDecoder decoder =
        (issuer.jwkSetUri() != null
                ? NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri().toString())
                    .jwsAlgorithms(a -> a.addAll(TokenValidation.ALGORITHMS))
                : NimbusJwtDecoder.withIssuerLocation(issuer.issuerUri().toString())
                    .jwsAlgorithms(a -> a.addAll(TokenValidation.ALGORITHMS)))
            .build();
    decoder.setJwtValidator(
        TokenValidation.validator(issuer.issuerUri().toString(), issuer.audience()));
    return decoder;
  }

  private static AuthenticationManager manager(
      JwtDecoder decoder, java.util.function.Function<Jwt, Caller> callers) {
    JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
    provider.setJwtAuthenticationConverter(
        jwt -> new CallerAuthentication(jwt, callers.apply(jwt)));
    return new ProviderManager(provider);
  }
}
