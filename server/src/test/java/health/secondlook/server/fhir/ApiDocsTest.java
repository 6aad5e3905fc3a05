package health.secondlook.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationDefinition.OperationDefinitionParameterComponent;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The API description an integrator reads before the first call: the OpenAPI document at {@code
 * /fhir/api-docs}, the Swagger page at {@code /fhir/swagger-ui/}, and the OperationDefinitions
 * behind them, which name every parameter SecondLook's operations take and which are required.
 */
@H2ServerTest
class ApiDocsTest {

  private static final String REQUEST_SECOND_OPINION = "/ServiceRequest/$request-second-opinion";

  @LocalServerPort int port;

  @Test
  void theOpenApiDocumentListsTheOperationsAndTheParametersOfRequestSecondOpinion()
      throws Exception {
    HttpResponse<String> response = get("/api-docs", "*/*");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode paths = yaml(response.body()).path("paths");
    assertThat(paths.fieldNames())
        .toIterable()
        .contains(
            REQUEST_SECOND_OPINION,
            "/Task/{id}/$submit-review",
            "/Task/{id}/$request-information",
            "/Task/{id}/$proceed",
            "/Task/{id}/$rerun-pull",
            "/Task/{id}/$redeliver",
            "/Bundle/{id}/$verify-signature",
            "/Task/$turnaround");

    JsonNode post = paths.path(REQUEST_SECOND_OPINION).path("post");
    String example =
        post.path("requestBody")
            .path("content")
            .path("application/fhir+json")
            .path("example")
            .asText();
    Parameters body = FhirClients.R4.newJsonParser().parseResource(Parameters.class, example);
    assertThat(body.getParameter())
        .extracting(Parameters.ParametersParameterComponent::getName)
        .containsExactly(
            "source",
            "patient",
            "reason",
            "questions",
            "priority",
            "treatmentStartBy",
            "requester",
            "recipient",
            "requestIdentifier");
    assertThat(post.path("summary").asText()).contains("Ask for a second opinion");
    assertThat(post.path("description").asText())
        .contains(
            "`source` (string, required)",
            "`patient` (string, required)",
            "`reason` (string, required)",
            "`requester` (Identifier, required)",
            "`questions` (QuestionnaireResponse, optional)",
            "`treatmentStartBy` (date, optional)",
            "`priority` (code, optional)");
  }

  @Test
  void theOperationDefinitionGivesEachParametersCardinality() {
    CapabilityStatement statement =
        FhirClients.client(base()).capabilities().ofType(CapabilityStatement.class).execute();
    String definition =
        statement.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("ServiceRequest"))
            .flatMap(r -> r.getOperation().stream())
            .filter(o -> o.getName().equals("request-second-opinion"))
            .findFirst()
            .orElseThrow()
            .getDefinition();

    OperationDefinition operation =
        FhirClients.client(base())
            .read()
            .resource(OperationDefinition.class)
            .withUrl(definition)
            .execute();

    assertThat(operation.getParameter())
        .filteredOn(p -> p.getMin() == 1)
        .extracting(OperationDefinitionParameterComponent::getName)
        .containsExactly("source", "patient", "reason", "requester");
    assertThat(operation.getParameter())
        .filteredOn(p -> p.getName().equals("treatmentStartBy"))
        .singleElement()
        .satisfies(p -> assertThat(p.getType()).isEqualTo("date"));
  }

  @Test
  void theSwaggerPageIsServed() throws Exception {
    HttpResponse<String> page = get("/swagger-ui/", "text/html");

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("swagger-ui", "api-docs");
  }

  /** The whole API is described, every resource type's search too: some megabytes of YAML. */
  private static JsonNode yaml(String document) throws Exception {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    return new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build())
        .readTree(document);
  }

  private String base() {
    return "http://localhost:" + port + "/fhir";
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            TestIssuer.asOperator(URI.create(base() + path)).header("Accept", accept).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
