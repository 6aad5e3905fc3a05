package health.secondlook.server.security;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import health.secondlook.server.launch.SignedInUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Access tokens for SecondLook's own pages, which call its FHIR API over HTTP like any client: a
 * signed-in referrer or specialist gets a five-minute token for their organisation, signed with a
 * key this node makes at start and never stores, so the pages meet the same authorisation rules as
 * an integrator's system. Only this node accepts these tokens (the pages call it over loopback).
 */
@Component
public class PageTokens {

  static final String ISSUER = "urn:secondlook:pages";
  static final String AUDIENCE = "urn:secondlook:fhir";
  static final String ORGANIZATION_CLAIM = "secondlook_organization";
  static final String ROLE_CLAIM = "secondlook_role";
  private static final Duration LIFETIME = Duration.ofMinutes(5);

  private final RSAKey key;
  private final Clock clock;

  PageTokens() {
    this.clock = Clock.systemUTC();
    try {
      this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot make the pages' token key", e);
    }
  }

  /** A token for the user's organisation, with every SMART permission the party rules allow. */
  String tokenFor(SignedInUser user) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(user.getSubject())
            .claim("client_id", "secondlook-pages")
            .claim("fhirUser", user.who())
            .claim("scope", "user/*.cruds")
            .claim(ORGANIZATION_CLAIM, user.partyName())
            .claim(ROLE_CLAIM, user.isSpecialist() ? "RECIPIENT" : "REFERRER")
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a page token", e);
    }
    return jwt.serialize();
  }

  JwtDecoder decoder() {
    try {
      NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build();
      decoder.setJwtValidator(TokenValidation.validator(ISSUER, AUDIENCE));
      return decoder;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The caller a page token stands for: its organisation and role are SecondLook's own claims. */
  static Caller caller(Jwt jwt) {
    return new Caller(
        Optional.ofNullable(jwt.getClaimAsString(ORGANIZATION_CLAIM)),
        Optional.ofNullable(jwt.getClaimAsString(ROLE_CLAIM)).map(CallerRole::valueOf),
        SmartScopes.parse(List.of(jwt.getClaimAsString("scope").split(" "))),
        ISSUER,
        jwt.getSubject(),
        jwt.getClaimAsString("client_id"),
        Optional.ofNullable(jwt.getClaimAsString("fhirUser")),
        Optional.empty());
  }

  /**
   * Adds the signed-in user's token to each request a page makes to the FHIR API; a request made
   * outside a signed-in user's request goes without one, and is refused.
   */
  public IClientInterceptor forSignedInUser() {
    return new IClientInterceptor() {
      @Override
      public void interceptRequest(IHttpRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user) {
          request.addHeader("Authorization", "Bearer " + tokenFor(user));
        }
      }

      @Override
      public void interceptResponse(IHttpResponse response) {}
    };
  }
}
