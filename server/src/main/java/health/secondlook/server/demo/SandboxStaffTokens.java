package health.secondlook.server.demo;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Demo only: the access token the sandbox EHR's own pages (the chart, the patient picker, the
 * specialist's worklist) read their FHIR servers with, signed with the sandbox's token key. A real
 * EHR's screens read their own database; the sandbox's read its FHIR API, which takes no call
 * without a token.
 */
final class SandboxStaffTokens {

  private static final Duration LIFETIME = Duration.ofMinutes(5);

  private final JwtEncoder encoder;
  private final Clock clock;
  private volatile String token;
  private volatile Instant renewAt = Instant.MIN;

  SandboxStaffTokens(JWKSource<SecurityContext> keys, Clock clock) {
    this.encoder = new NimbusJwtEncoder(keys);
    this.clock = clock;
  }

  /** A token for {@code issuer} valid for at least another minute. */
  synchronized String token(String issuer) {
    Instant now = clock.instant();
    if (token == null || now.isAfter(renewAt)) {
      JwtClaimsSet claims =
          JwtClaimsSet.builder()
              .issuer(issuer)
              .subject("sandbox-ehr-pages")
              .issuedAt(now)
              .expiresAt(now.plus(LIFETIME))
              .claim("scope", List.of("system/*.rs"))
              .build();
      token = encoder.encode(JwtEncoderParameters.from(claims)).getTokenValue();
      renewAt = now.plus(LIFETIME).minus(Duration.ofMinutes(1));
    }
    return token;
  }
}
