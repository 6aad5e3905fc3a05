package health.secondlook.server.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token client against a real token endpoint that checks every assertion. */
class SmartBackendServicesClientTest {

  @TempDir Path dir;

  private final TestTokenServer tokenServer = TestTokenServer.start();
  private final MutableClock clock = new MutableClock();

  @AfterEach
  void stop() {
    tokenServer.close();
  }

  @Test
  void rs384AssertionObtainsAToken() {
    SmartBackendServicesClient client = client(TestKeys.rsa(), URI.create(tokenServer.tokenUrl()));

    assertThat(tokenServer.isValid(client.accessToken())).isTrue();
    JWSHeader header = tokenServer.acceptedHeaders().get(0);
    assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
    assertThat(header.getKeyID()).isEqualTo("key-1");
    assertThat(header.getType()).isEqualTo(JOSEObjectType.JWT);
    assertThat(tokenServer.scopes()).containsExactly("system/*.rs");
  }

  @Test
  void es384AssertionObtainsAToken() {
    SmartBackendServicesClient client =
        client(TestKeys.ecP384(), URI.create(tokenServer.tokenUrl()));

    assertThat(tokenServer.isValid(client.accessToken())).isTrue();
    assertThat(tokenServer.acceptedHeaders().get(0).getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
  }

  @Test
  void tokenIsReusedUntilWithinAMinuteOfExpiryThenRenewed() {
    tokenServer.expiresIn(300);
    SmartBackendServicesClient client = client(TestKeys.rsa(), URI.create(tokenServer.tokenUrl()));

    String first = client.accessToken();
    assertThat(client.accessToken()).isEqualTo(first);
    clock.advance(Duration.ofSeconds(239));
    assertThat(client.accessToken()).isEqualTo(first);
    assertThat(tokenServer.tokenRequests()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    String renewed = client.accessToken();

    assertThat(renewed).isNotEqualTo(first);
    assertThat(tokenServer.tokenRequests()).isEqualTo(2);
    assertThat(client.cachedToken()).contains(renewed);
  }

  @Test
  void invalidateDropsTheCachedToken() {
    SmartBackendServicesClient client = client(TestKeys.rsa(), URI.create(tokenServer.tokenUrl()));
    String first = client.accessToken();

    client.invalidate();

    assertThat(client.cachedToken()).isEmpty();
    assertThat(client.accessToken()).isNotEqualTo(first);
  }

  @Test
  void tokenUrlIsDiscoveredFromSmartConfiguration() {
    SmartBackendServicesClient client = client(TestKeys.rsa(), null);

    assertThat(tokenServer.isValid(client.accessToken())).isTrue();
    assertThat(client.tokenUrl()).isEqualTo(URI.create(tokenServer.tokenUrl()));
  }

  @Test
  void wrongKeyIsRefusedWithAMessageNamingTheEhrAndTokenUrl() {
    KeyPair registered = TestKeys.rsa();
    SmartBackendServicesClient client =
        new SmartBackendServicesClient(
            registration(TestKeys.rsa(), URI.create(tokenServer.tokenUrl())), clock);
    tokenServer.register("secondlook-client", "key-1", registered.getPublic());

    assertThatThrownBy(client::accessToken)
        .isInstanceOfSatisfying(
            SmartTokenException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("EHR 'hospital-a'")
        .hasMessageContaining(tokenServer.tokenUrl())
        .hasMessageContaining("invalid_client")
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void failingTokenEndpointIsRetryable() {
    SmartBackendServicesClient client = client(TestKeys.rsa(), URI.create(tokenServer.tokenUrl()));
    tokenServer.failWith(503);

    assertThatThrownBy(client::accessToken)
        .isInstanceOfSatisfying(
            SmartTokenException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("HTTP 503");
  }

  @Test
  void unreachableDiscoveryIsRetryableAndNamesTheUrl() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    KeyPair pair = TestKeys.rsa();
    SmartBackendServicesClient.Registration registration =
        new SmartBackendServicesClient.Registration(
            "hospital-a",
            URI.create("http://127.0.0.1:" + closedPort + "/fhir"),
            "secondlook-client",
            SigningKeys.load(
                TestKeys.writePkcs8Pem(pair, dir.resolve("k.pem")), "key-1", null, null, null),
            null,
            "system/*.rs",
            Duration.ofSeconds(2),
            Duration.ofSeconds(2));

    assertThatThrownBy(() -> new SmartBackendServicesClient(registration).accessToken())
        .isInstanceOfSatisfying(
            SmartTokenException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining(
            "http://127.0.0.1:" + closedPort + "/fhir/.well-known/smart-configuration");
  }

  private SmartBackendServicesClient client(KeyPair pair, URI tokenUrl) {
    tokenServer.register("secondlook-client", "key-1", pair.getPublic());
    return new SmartBackendServicesClient(registration(pair, tokenUrl), clock);
  }

  private SmartBackendServicesClient.Registration registration(KeyPair pair, URI tokenUrl) {
    Path pem = TestKeys.writePkcs8Pem(pair, dir.resolve("key-" + System.nanoTime() + ".pem"));
    return new SmartBackendServicesClient.Registration(
        "hospital-a",
        URI.create(tokenServer.baseUrl()),
        "secondlook-client",
        SigningKeys.load(pem, "key-1", null, null, null),
        tokenUrl,
        "system/*.rs",
        Duration.ofSeconds(5),
        Duration.ofSeconds(5));
  }
}
