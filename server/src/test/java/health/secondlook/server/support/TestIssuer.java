package health.secondlook.server.support;

import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real OAuth2 token issuer for tests, on a random loopback port: an RSA key made at start, its
 * JWKS at {@code /jwks}, and tokens signed with it for whatever client, scopes and lifetime a test
 * asks. SecondLook trusts it as issuer {@code test} (see {@link #properties()}); its operator token
 * is what {@link FhirClients} send.
 */
public final class TestIssuer {

  public static final String AUDIENCE = "https://secondlook.test/fhir";
  public static final String OPERATOR = "test-operator";
  public static final String AUDITOR = "test-auditor";
  public static final int MAX_IN_FLIGHT = 48;

  private static final TestIssuer INSTANCE = new TestIssuer();

  private final RSAKey key;
  private final HttpServer server;
  private volatile String operatorToken;

  private TestIssuer() {
    try {
      key = new RSAKeyGenerator(2048).keyID("test-issuer-1").generate();
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/jwks",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, jwks.length);
          exchange.getResponseBody().write(jwks);
          exchange.close();
        });
    server.setExecutor(null);
    server.start();
  }

  public static TestIssuer get() {
    return INSTANCE;
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Trusts this issuer and knows its operator and auditor clients. */
  public List<String> properties() {
    return List.of(
        "secondlook.security.issuers.test.issuer-uri=" + issuer(),
        "secondlook.security.issuers.test.jwk-set-uri=" + issuer() + "/jwks",
        "secondlook.security.issuers.test.audience=" + AUDIENCE,
        "secondlook.security.organizations.test-operator.role=operator",
        "secondlook.security.organizations.test-operator.issuer=test",
        "secondlook.security.organizations.test-operator.client-ids=" + OPERATOR,
        "secondlook.security.organizations.test-auditor.role=auditor",
        "secondlook.security.organizations.test-auditor.issuer=test",
        "secondlook.security.organizations.test-auditor.client-ids=" + AUDITOR,
        "secondlook.security.smart.token-endpoint=" + issuer() + "/token",
        // Tests act as one operator client for many systems at once (dozens of referrals sent
        // together); RequestLimitsTest exceeds even this.
        "secondlook.security.limits.max-in-flight-per-client=" + MAX_IN_FLIGHT);
  }

  /** {@link #properties()} as command-line arguments. */
  public List<String> arguments() {
    return properties().stream().map(p -> "--" + p).toList();
  }

  /** A long-lived operator token with every SMART permission: what most tests act as. */
  public String operatorToken() {
    if (operatorToken == null) {
      operatorToken = token(OPERATOR, "system/*.cruds", Duration.ofHours(12), Map.of());
    }
    return operatorToken;
  }

  public BearerTokenAuthInterceptor operator() {
    return new BearerTokenAuthInterceptor(operatorToken());
  }

  /** An HTTP request to SecondLook's API with the operator token. */
  public static java.net.http.HttpRequest.Builder asOperator(java.net.URI uri) {
    return java.net.http.HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + INSTANCE.operatorToken());
  }

  /** A token for {@code client} with these scopes, valid from now for {@code lifetime}. */
  public String token(String client, String scope, Duration lifetime, Map<String, Object> claims) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .audience(AUDIENCE)
            .subject(client)
            .claim("client_id", client)
            .claim("scope", scope)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString());
    claims.forEach(builder::claim);
    return sign(builder.build());
  }

  /** Signs any claims with this issuer's key, for tests of what SecondLook refuses. */
  public String sign(JWTClaimsSet claims) {
    try {
      return sign(claims, new RSASSASigner(key), JWSAlgorithm.RS256);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sign(JWTClaimsSet claims, JWSSigner signer, JWSAlgorithm algorithm) {
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(algorithm).keyID("test-issuer-1").build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
