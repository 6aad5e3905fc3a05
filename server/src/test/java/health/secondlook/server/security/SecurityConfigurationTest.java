package health.secondlook.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * Spring Security is present (for the SMART client) but, until SecondLook's own API gets SMART
 * authorization, lets every request through: no HTTP Basic, no generated password, no CSRF token
 * demanded from FHIR clients.
 */
@H2ServerTest
class SecurityConfigurationTest {

  @LocalServerPort int port;

  @Autowired ApplicationContext context;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void noUserIsInventedSoNoPasswordIsLogged() {
    assertThat(context.getBeanNamesForType(UserDetailsService.class)).isEmpty();
  }

  @Test
  void theCapabilityStatementAndHealthNeedNoCredentials() throws Exception {
    assertThat(send(HttpRequest.newBuilder(uri("/fhir/metadata")).GET()).statusCode())
        .isEqualTo(200);
    assertThat(send(HttpRequest.newBuilder(uri("/actuator/health")).GET()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void fhirWritesNeedATokenButNoCsrfToken() throws Exception {
    HttpResponse<String> created =
        send(
            TestIssuer.asOperator(uri("/fhir/Patient"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")));

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
