package health.secondlook.server.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;

/**
 * What every access token SecondLook accepts must satisfy: signed with an asymmetric algorithm (so
 * never {@code alg=none} and never HMAC, whose key the issuer would have to share), from the
 * expected issuer, for SecondLook's audience, with an expiry, and within its {@code nbf}/{@code
 * exp} (a minute's clock skew allowed).
 */
final class TokenValidation {

  static final Set<SignatureAlgorithm> ALGORITHMS =
      Set.of(
          SignatureAlgorithm.RS256,
          SignatureAlgorithm.RS384,
          SignatureAlgorithm.RS512,
          SignatureAlgorithm.PS256,
          SignatureAlgorithm.PS384,
          SignatureAlgorithm.PS512,
          SignatureAlgorithm.ES256,
          SignatureAlgorithm.ES384,
          SignatureAlgorithm.ES512);

  private TokenValidation() {}

  static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
    return new DelegatingOAuth2TokenValidator<>(
        JwtValidators.createDefaultWithIssuer(issuer),
        new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
        new JwtClaimValidator<List<String>>(
            JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
  }
}
