package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code Bundle/$verify-signature} and {@code /.well-known/jwks.json} over HTTP against the running
 * application, which signs with its demo keys (see {@link H2ServerTest}).
 */
@H2ServerTest
class SignatureOperationsTest {

  @LocalServerPort int port;

  @Autowired PacketSignatures signatures;
  @Autowired SigningKeyRing keys;
  @Autowired BundleVerifier verifier;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aPostedSignedBundleVerifies() throws Exception {
    Bundle packet = signatures.sign(TestPackets.document());

    Parameters result = parameters(post("/fhir/Bundle/$verify-signature", json(packet)), 200);

    assertThat(valid(result)).isTrue();
    assertThat(result.getParameter("problem")).isNull();
    assertThat(result.getParameterValue("signer").primitiveValue())
        .isEqualTo("CN=SecondLook demo packet signing,O=SecondLook demo");
    assertThat(result.getParameterValue("sigT").primitiveValue())
        .isEqualTo(packet.getSignature().getWhenElement().getValueAsString());
  }

  @Test
  void aBundleInAParametersVerifiesToo() throws Exception {
    Parameters request = new Parameters();
    request.addParameter().setName("resource").setResource(signatures.sign(TestPackets.document()));

    assertThat(valid(parameters(post("/fhir/Bundle/$verify-signature", json(request)), 200)))
        .isTrue();
  }

  @Test
  void aChangedBundleIsInvalidWithItsReasonNotAnHttpError() throws Exception {
    Bundle packet = signatures.sign(TestPackets.document());
    packet.getEntry().get(1).getResource().setId("swapped");

    Parameters result = parameters(post("/fhir/Bundle/$verify-signature", json(packet)), 200);

    assertThat(valid(result)).isFalse();
    assertThat(result.getParameters("problem"))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(part(problem, "code")).isEqualTo("digest-mismatch");
              assertThat(part(problem, "message")).contains("changed after signing");
            });
  }

  @Test
  void aSignerTheServerDoesNotTrustIsNamed() throws Exception {
    TestPki stranger =
        new TestPki(
            "Stranger",
            Instant.now().minus(Duration.ofDays(1)),
            Instant.now().plus(Duration.ofDays(1)));
    Bundle packet = TestPackets.document();
    new BundleSigner(stranger.ec())
        .sign(packet, SignatureRole.AUTHOR, Instant.now(), new Reference("Organization/x"));

    Parameters result = parameters(post("/fhir/Bundle/$verify-signature", json(packet)), 200);

    assertThat(valid(result)).isFalse();
    assertThat(result.getParameters("problem"))
        .extracting(p -> part(p, "code"))
        .containsExactly("untrusted-chain");
  }

  @Test
  void aStoredPacketVerifiesByIdAndAsServed() throws Exception {
    Bundle packet = signatures.sign(TestPackets.document());
    String id = FhirClients.client(base()).create().resource(packet).execute().getId().getIdPart();

    Parameters byGet = parameters(get("/fhir/Bundle/" + id + "/$verify-signature"), 200);
    Parameters byPost =
        parameters(
            post("/fhir/Bundle/" + id + "/$verify-signature", "{\"resourceType\":\"Parameters\"}"),
            200);
    HttpResponse<String> served = get("/fhir/Bundle/" + id);

    assertThat(valid(byGet)).as(byGet.getParameter().toString()).isTrue();
    assertThat(valid(byPost)).isTrue();
    // The JSON SecondLook serves still matches the signature, read as text by any verifier.
    assertThat(verifier.verifyJson(served.body()).problems()).isEmpty();
  }

  @Test
  void aMissingBundleIs404WithAnOperationOutcome() throws Exception {
    HttpResponse<String> response = get("/fhir/Bundle/no-such-packet/$verify-signature");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(FhirClients.R4.newJsonParser().parseResource(response.body()))
        .isInstanceOf(OperationOutcome.class);
  }

  @Test
  void somethingOtherThanABundleIs400WithAnOperationOutcome() throws Exception {
    HttpResponse<String> patient =
        post("/fhir/Bundle/$verify-signature", "{\"resourceType\":\"Patient\"}");
    HttpResponse<String> notJson = post("/fhir/Bundle/$verify-signature", "{\"resourceType\":");

    assertThat(patient.statusCode()).isEqualTo(400);
    assertThat(patient.body()).contains("OperationOutcome").contains("needs a Bundle");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("OperationOutcome");
  }

  @Test
  void theJwksListsTheSigningKey() throws Exception {
    HttpResponse<String> response =
        http.send(
            TestIssuer.asOperator(URI.create("http://localhost:" + port + "/.well-known/jwks.json"))
                .header("Accept", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    List<JWK> published = JWKSet.parse(response.body()).getKeys();
    SigningIdentity current = keys.current().orElseThrow();
    assertThat(published)
        .singleElement()
        .satisfies(
            key -> {
              assertThat(key.getKeyID()).isEqualTo(current.keyId());
              assertThat(key.getAlgorithm().getName()).isEqualTo("RS256");
              assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
              assertThat(key.getX509CertChain()).hasSize(2);
              assertThat(key.isPrivate()).isFalse();
            });
  }

  private static boolean valid(Parameters result) {
    return Boolean.parseBoolean(result.getParameterValue("valid").primitiveValue());
  }

  private static String part(Parameters.ParametersParameterComponent parameter, String name) {
    return parameter.getPart().stream()
        .filter(p -> p.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue()
        .primitiveValue();
  }

  private static Parameters parameters(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return FhirClients.R4.newJsonParser().parseResource(Parameters.class, response.body());
  }

  private static String json(IBaseResource resource) {
    return FhirClients.R4.newJsonParser().encodeResourceToString(resource);
  }

  private String base() {
    return "http://localhost:" + port + "/fhir";
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        TestIssuer.asOperator(URI.create("http://localhost:" + port + path))
            .header("Accept", "application/fhir+json")
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        TestIssuer.asOperator(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
