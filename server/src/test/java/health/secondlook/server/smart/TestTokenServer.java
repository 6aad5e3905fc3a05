package health.secondlook.server.smart;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SMART Backend Services token endpoint for tests, on a random loopback port: it checks each
 * client assertion as an EHR's authorization server would (registered client and {@code kid},
 * RS384/ES384 signature by the registered public key, {@code typ}, {@code iss = sub}, {@code aud} =
 * this token URL, {@code exp} at most five minutes ahead, {@code jti} never seen before, grant and
 * assertion type) and issues random tokens. It also serves {@code /.well-known/smart-configuration}
 * naming itself.
 */
public final class TestTokenServer implements AutoCloseable {

  private static final String ASSERTION_TYPE =
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private record Client(String keyId, PublicKey key) {}

  private final HttpServer server;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final Set<String> seenJti = ConcurrentHashMap.newKeySet();
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final List<JWSHeader> acceptedHeaders = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final List<String> scopes = new CopyOnWriteArrayList<>();
  private volatile int expiresInSeconds = 300;
  private volatile int failingStatus;

  private TestTokenServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.createContext("/.well-known/smart-configuration", this::configuration);
    server.start();
  }

  public static TestTokenServer start() {
    try {
      return new TestTokenServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String tokenUrl() {
    return baseUrl() + "/token";
  }

  public void register(String clientId, String keyId, PublicKey key) {
    clients.put(clientId, new Client(keyId, key));
  }

  public void expiresIn(int seconds) {
    expiresInSeconds = seconds;
  }

  /** Answers every token request with this status until set to 0. */
  public void failWith(int status) {
    failingStatus = status;
  }

  public boolean isValid(String token) {
    return validTokens.contains(token);
  }

  /** The EHR forgets every token it issued, as after a restart. */
  public void revokeAll() {
    validTokens.clear();
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  public List<JWSHeader> acceptedHeaders() {
    return acceptedHeaders;
  }

  public List<String> refusals() {
    return refusals;
  }

  public List<String> scopes() {
    return scopes;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void configuration(HttpExchange exchange) throws IOException {
    respond(
        exchange,
        200,
        """
        {"token_endpoint": "%s", "token_endpoint_auth_methods_supported": ["private_key_jwt"],
         "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
         "grant_types_supported": ["client_credentials"], "capabilities": ["client-confidential-asymmetric"]}
        """
            .formatted(tokenUrl()));
  }

  private void token(HttpExchange exchange) throws IOException {
    tokenRequests.incrementAndGet();
    if (failingStatus != 0) {
      respond(exchange, failingStatus, "{\"error\":\"temporarily_unavailable\"}");
      return;
    }
    Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
    try {
      JWSHeader header = verify(exchange.getRequestMethod(), form);
      acceptedHeaders.add(header);
      scopes.add(form.get("scope"));
      String token = UUID.randomUUID().toString();
      validTokens.add(token);
      respond(
          exchange,
          200,
          """
          {"access_token": "%s", "token_type": "bearer", "expires_in": %d, "scope": "%s"}
          """
              .formatted(token, expiresInSeconds, form.get("scope")));
    } catch (Exception e) {
      refusals.add(e.getMessage());
      respond(
          exchange,
          400,
          "{\"error\":\"invalid_client\",\"error_description\":\"" + e.getMessage() + "\"}");
    }
  }

  private JWSHeader verify(String method, Map<String, String> form) throws Exception {
    require("POST".equals(method), "token requests must be POST");
    require("client_credentials".equals(form.get("grant_type")), "grant_type");
    require(ASSERTION_TYPE.equals(form.get("client_assertion_type")), "client_assertion_type");
    SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
    JWSHeader header = assertion.getHeader();
    require(
        JWSAlgorithm.RS384.equals(header.getAlgorithm())
            || JWSAlgorithm.ES384.equals(header.getAlgorithm()),
        "alg must be RS384 or ES384, was " + header.getAlgorithm());
    require(JOSEObjectType.JWT.equals(header.getType()), "typ must be JWT");
    JWTClaimsSet claims = assertion.getJWTClaimsSet();
    Client client = clients.get(claims.getIssuer());
    require(client != null, "unknown client " + claims.getIssuer());
    require(claims.getIssuer().equals(claims.getSubject()), "iss and sub differ");
    require(
        form.get("client_id") == null || form.get("client_id").equals(claims.getIssuer()),
        "client_id differs from iss");
    require(client.keyId().equals(header.getKeyID()), "unknown kid " + header.getKeyID());
    JWSVerifier verifier =
        client.key() instanceof RSAPublicKey rsa
            ? new RSASSAVerifier(rsa)
            : new ECDSAVerifier((ECPublicKey) client.key());
    require(assertion.verify(verifier), "signature does not verify");
    require(List.of(tokenUrl()).equals(claims.getAudience()), "aud " + claims.getAudience());
    Instant now = Instant.now();
    Instant expires = claims.getExpirationTime().toInstant();
    require(expires.isAfter(now), "assertion expired");
    require(!expires.isAfter(now.plus(Duration.ofMinutes(5))), "exp more than 5 minutes ahead");
    require(claims.getJWTID() != null && seenJti.add(claims.getJWTID()), "jti missing or reused");
    return header;
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, equals), UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), UTF_8));
      }
    }
    return form;
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
