package health.secondlook.server.launch;

import static org.assertj.core.api.Assertions.assertThat;

import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhrs;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A launch from an EHR whose SMART configuration cannot be read, and a sign-in through an identity
 * provider that does not answer, end on a page that says which server could not be reached, with a
 * 502 and never a stack trace; the browser is not sent to an authorisation server nobody found.
 */
@H2ServerTest
class UnreachablePartiesTest {

  @LocalServerPort int port;
  @Autowired LaunchParties parties;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> open(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aLaunchFromAnEhrThatCannotBeReachedEndsOnAClearPage() throws Exception {
    String iss = parties.byRegistrationId("ehr-" + TestEhrs.DOWN).orElseThrow().issuer();

    HttpResponse<String> page =
        open("/launch?iss=" + URLEncoder.encode(iss, StandardCharsets.UTF_8) + "&launch=abc");

    assertThat(page.statusCode()).isEqualTo(502);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body())
        .contains("The EHR could not be reached", iss + "/.well-known/smart-configuration")
        .doesNotContain("Exception", "\tat ");
    assertThat(page.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void aSignInThroughAnIdentityProviderThatCannotBeReachedEndsOnAClearPage() throws Exception {
    HttpResponse<String> signInPage = open("/sign-in");
    String registration = "sign-in-" + TestEhrs.RECIPIENT_DOWN;
    assertThat(signInPage.body()).contains("/sign-in/" + registration);

    HttpResponse<String> page = open("/sign-in/" + registration);

    assertThat(page.statusCode()).isEqualTo(502);
    assertThat(page.body())
        .contains("The identity provider could not be reached", "/idp")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void aSignInThatIsNotConfiguredIsNotFound() throws Exception {
    HttpResponse<String> page = open("/sign-in/sign-in-nobody");

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("No such sign-in", "sign-in-nobody");
  }
}
