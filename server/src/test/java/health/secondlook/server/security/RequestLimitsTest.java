package health.secondlook.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.LocalUris;
import health.secondlook.server.support.TestIssuer;
import health.secondlook.server.support.TestParties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What one request may cost: each bound of {@code secondlook.security.limits} refuses a request
 * over it with a 4xx OperationOutcome naming the setting, before the work is done.
 */
@H2ServerTest
class RequestLimitsTest {

  @LocalServerPort int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void deepChainsWildcardIncludesAndHugeCountsAreRefusedBeforeTheySearch() throws Exception {
    assertRefused(
        get("/fhir/Task?based-on.based-on.based-on.status=active"), 400, "max-chain-depth");
    assertRefused(
        get(
            "/fhir/Observation?_has:Observation:has-member:_has:Observation:has-member:_has:Observation:has-member:code=x"),
        400,
        "max-chain-depth");
    assertRefused(get("/fhir/Task?_include=*&_revinclude=*"), 400, "include everything");
    assertRefused(
        get(
            "/fhir/Task?_include=Task:subject&_include=Task:focus&_include=Task:owner&_revinclude=Provenance:target&_revinclude=AuditEvent:entity"),
        400,
        "max-includes");
    assertRefused(get("/fhir/Task?_count=100000"), 400, "max-page-size");
    assertRefused(get("/fhir/Task?identifier=" + "x".repeat(5000)), 400, "max-parameter-length");
    assertThat(get("/fhir/Task?subject:Patient.name=x&_include=Task:subject").statusCode())
        .isEqualTo(200);
  }

  @Test
  void oversizedDeeplyNestedAndLongStringBodiesAreRefusedBeforeTheyAreParsed() throws Exception {
    String task =
        "{\"resourceType\":\"Task\",\"status\":\"requested\",\"intent\":\"order\",\"note\":[{\"text\":\"%s\"}]}";
    assertRefused(
        post("/fhir/Task", task.formatted("x".repeat(5 * 1024 * 1024))), 400, "max-text-length");
    assertRefused(
        post("/fhir/Task", "[".repeat(10_000) + "]".repeat(10_000)), 400, "max-json-depth");
    assertRefused(
        post(
            "/fhir/Binary",
            "{\"resourceType\":\"Binary\",\"data\":\"" + "A".repeat(21 * 1024 * 1024) + "\"}"),
        413,
        "max-body-size");
    StringBuilder batch =
        new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
    for (int i = 0; i < 1000; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"request\":{\"method\":\"GET\",\"url\":\"Task?_include=*&_revinclude=*\"}}");
    }
    assertRefused(post("/fhir", batch.append("]}").toString()), 400, "max-transaction-entries");
  }

  @Test
  void xmlExternalEntitiesAreNotRead() throws Exception {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&x;\"/></name></Patient>";
    HttpResponse<String> response =
        http.send(
            TestIssuer.asOperator(uri("/fhir/Patient/$validate"))
                .header("Content-Type", "application/fhir+xml")
                .POST(HttpRequest.BodyPublishers.ofString(xxe))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isBetween(400, 499);
    assertThat(response.body())
        .doesNotContain("root:")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void aClientWithTooManyRequestsRunningIsToldToWaitAndOthersAreServed() throws Exception {
    String token = TestParties.token(TestParties.RECIPIENT_A, "system/*.cruds");
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 4 * TestIssuer.MAX_IN_FLIGHT; i++) {
      burst.add(
          http.sendAsync(
              HttpRequest.newBuilder(uri("/fhir/Task?_count=200&_include=Task:subject"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> answers = burst.stream().map(CompletableFuture::join).toList();
    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 429));
    assertThat(answers)
        .anySatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(429);
              assertThat(r.body()).contains("max-in-flight-per-client");
            });
    assertThat(get("/fhir/Task?_count=1").statusCode()).as("another client").isEqualTo(200);
  }

  private void assertRefused(HttpResponse<String> response, int status, String bound) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    OperationOutcome outcome =
        FhirClients.R4.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(bound);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        TestIssuer.asOperator(uri(path)).header("Accept", "application/fhir+json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        TestIssuer.asOperator(uri(path))
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String pathAndQuery) {
    return LocalUris.of(port, pathAndQuery);
  }
}
