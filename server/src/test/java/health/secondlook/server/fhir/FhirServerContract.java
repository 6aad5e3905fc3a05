package health.secondlook.server.fhir;

import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_TO_LOINC;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_VALUE_SET;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.packetItemValueSet;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What SecondLook's FHIR endpoint promises every EHR and specialist system, checked against the
 * running server over HTTP. Each database (H2, PostgreSQL) runs the same contract.
 */
abstract class FhirServerContract {

  @LocalServerPort int port;

  String base() {
    return "http://localhost:" + port + "/fhir";
  }

  IGenericClient fhir() {
    return FhirClients.client(base());
  }

  @Test
  void capabilityStatementNamesSecondLookAndItsVersion() {
    CapabilityStatement statement =
        fhir().capabilities().ofType(CapabilityStatement.class).execute();

    assertThat(statement.getName()).isEqualTo("SecondLook");
    assertThat(statement.getSoftware().getName()).isEqualTo("SecondLook");
    assertThat(statement.getSoftware().getVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(statement.getRestFirstRep().getResource())
        .extracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
        .contains("Task", "ServiceRequest", "DiagnosticReport", "Bundle", "ValueSet");
  }

  @Test
  void reviewOutcomeCodeSystemIsFoundByItsCanonicalUrl() {
    Bundle found =
        fhir()
            .search()
            .forResource(CodeSystem.class)
            .where(CodeSystem.URL.matches().value(REVIEW_OUTCOME_SYSTEM))
            .returnBundle(Bundle.class)
            .execute();

    assertThat(found.getEntry()).hasSize(1);
    CodeSystem outcomes = (CodeSystem) found.getEntryFirstRep().getResource();
    assertThat(outcomes.getConcept())
        .extracting(CodeSystem.ConceptDefinitionComponent::getCode)
        .containsExactlyInAnyOrder(
            "confirms-plan",
            "modifies-plan",
            "alternative-plan",
            "recommends-clinical-trial",
            "needs-more-information");
  }

  @Test
  void validateCodeAcceptsOnlyCodesThatCountAsThePacketItem() {
    String pathology = packetItemValueSet("pathology-report");

    assertThat(validateCode(pathology, "http://loinc.org", "11526-1")).isTrue();
    assertThat(validateCode(pathology, "http://loinc.org", "60568-3")).isTrue();
    assertThat(validateCode(pathology, "http://loinc.org", "18842-5")).isFalse();
    assertThat(validateCode(packetItemValueSet("discharge-summary"), "http://loinc.org", "18842-5"))
        .isTrue();
    assertThat(validateCode(PACKET_ITEM_VALUE_SET, PACKET_ITEM_SYSTEM, "imaging-study")).isTrue();
    assertThat(validateCode(PACKET_ITEM_VALUE_SET, PACKET_ITEM_SYSTEM, "horoscope")).isFalse();
  }

  @Test
  void expandListsEveryPacketItemAndTheCodesOfEach() {
    assertThat(expandCodes(PACKET_ITEM_VALUE_SET))
        .containsExactlyInAnyOrder(
            "diagnosis",
            "stage",
            "pathology-report",
            "imaging-report",
            "imaging-study",
            "blood-tests",
            "discharge-summary",
            "surgical-procedures",
            "treatment-plan",
            "current-medications",
            "clinical-notes",
            "pathology-material",
            "patient-questions");
    assertThat(expandCodes(packetItemValueSet("pathology-report")))
        .contains("11526-1", "22637-3", "60568-3");
    assertThat(expandCodes(packetItemValueSet("stage"))).contains("21908-9", "21902-2");
    assertThat(expandCodes(packetItemValueSet("diagnosis"))).contains("254837009", "363406005");
    // Included from the surgical-procedure ValueSet, which the server expands too.
    assertThat(expandCodes(packetItemValueSet("surgical-procedures"))).contains("392021009");
  }

  @Test
  void codeSystemValidateCodeKnowsTheReviewOutcomes() {
    Parameters result =
        fhir()
            .operation()
            .onType(CodeSystem.class)
            .named("$validate-code")
            .withParameter(Parameters.class, "url", new UriType(REVIEW_OUTCOME_SYSTEM))
            .andParameter("code", new CodeType("recommends-clinical-trial"))
            .execute();

    assertThat(((BooleanType) result.getParameterValue("result")).booleanValue()).isTrue();
  }

  @Test
  void translateMapsAPacketItemToItsLoincSectionCode() {
    Parameters result =
        fhir()
            .operation()
            .onType("ConceptMap")
            .named("$translate")
            .withParameter(Parameters.class, "url", new UriType(PACKET_ITEM_TO_LOINC))
            .andParameter("system", new UriType(PACKET_ITEM_SYSTEM))
            .andParameter("code", new CodeType("discharge-summary"))
            .execute();

    assertThat(((BooleanType) result.getParameterValue("result")).booleanValue()).isTrue();
    Coding concept =
        (Coding)
            result.getParameter().stream()
                .filter(p -> p.getName().equals("match"))
                .findFirst()
                .orElseThrow()
                .getPart()
                .stream()
                .filter(p -> p.getName().equals("concept"))
                .findFirst()
                .orElseThrow()
                .getValue();
    assertThat(concept.getSystem()).isEqualTo("http://loinc.org");
    assertThat(concept.getCode()).isEqualTo("18842-5");
  }

  @Test
  void transactionsSearchAndHistoryWork() {
    Patient patient = new Patient();
    patient.addName().setFamily("Contract").addGiven("Test");
    Condition condition = new Condition();
    condition.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("254837009");
    condition.setSubject(new Reference("urn:uuid:7f1c0a7e-8f1e-4a55-9b1e-2f6d2d0b1a01"));
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    transaction
        .addEntry()
        .setFullUrl("urn:uuid:7f1c0a7e-8f1e-4a55-9b1e-2f6d2d0b1a01")
        .setResource(patient)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Patient");
    transaction
        .addEntry()
        .setResource(condition)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Condition");

    Bundle response = fhir().transaction().withBundle(transaction).execute();

    assertThat(response.getEntry())
        .extracting(e -> e.getResponse().getStatus())
        .allMatch(s -> s.startsWith("201"));
    String patientId = response.getEntry().get(0).getResponse().getLocation().split("/_history")[0];

    Bundle conditions =
        fhir()
            .search()
            .forResource(Condition.class)
            .where(Condition.SUBJECT.hasId(patientId))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(conditions.getEntry()).hasSize(1);

    Patient stored = fhir().read().resource(Patient.class).withUrl(patientId).execute();
    stored.getNameFirstRep().setFamily("Contract-Renamed");
    fhir().update().resource(stored).execute();
    Bundle history = fhir().history().onInstance(patientId).returnBundle(Bundle.class).execute();
    assertThat(history.getEntry()).hasSize(2);
  }

  @Test
  void validateOperationNamesTheProblem() throws Exception {
    // An Observation without its required status and code.
    HttpResponse<String> response =
        post("/Observation/$validate", "{\"resourceType\":\"Observation\"}");

    OperationOutcome outcome = parseOutcome(response.body());
    assertThat(outcome.getIssue())
        .anySatisfy(
            issue -> {
              assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
              assertThat(issue.getDiagnostics()).contains("Observation.status");
            });
  }

  @Test
  void malformedJsonIsRefusedWith400AndAnOperationOutcome() throws Exception {
    assertRefused(
        post("/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":"), "parse");
  }

  @Test
  void unknownElementIsRefusedWith400NamingIt() throws Exception {
    assertRefused(
        post("/Patient", "{\"resourceType\":\"Patient\",\"favouriteColour\":\"blue\"}"),
        "favouriteColour");
  }

  @Test
  void invalidPrimitiveValueIsRefusedWith400NamingIt() throws Exception {
    assertRefused(
        post("/Patient", "{\"resourceType\":\"Patient\",\"birthDate\":\"last tuesday\"}"),
        "last tuesday");
  }

  @Test
  void resourceOfTheWrongTypeIsRefusedWith400() throws Exception {
    assertRefused(post("/Observation", "{\"resourceType\":\"Patient\"}"), "Patient");
  }

  @Test
  void sandboxEhrIsNotMountedOutsideDemoMode() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                TestIssuer.asOperator(
                        URI.create("http://localhost:" + port + "/sandbox-ehr/fhir/metadata"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
  }

  private void assertRefused(HttpResponse<String> response, String named) {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception:");
    OperationOutcome outcome = parseOutcome(response.body());
    assertThat(outcome.getIssueFirstRep().getSeverity())
        .isEqualTo(OperationOutcome.IssueSeverity.ERROR);
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).containsIgnoringCase(named);
  }

  private boolean validateCode(String valueSetUrl, String system, String code) {
    Parameters result =
        fhir()
            .operation()
            .onType(ValueSet.class)
            .named("$validate-code")
            .withParameter(Parameters.class, "url", new UriType(valueSetUrl))
            .andParameter("system", new UriType(system))
            .andParameter("code", new CodeType(code))
            .execute();
    return ((BooleanType) result.getParameterValue("result")).booleanValue();
  }

  private List<String> expandCodes(String valueSetUrl) {
    ValueSet expanded =
        fhir()
            .operation()
            .onType(ValueSet.class)
            .named("$expand")
            .withParameter(Parameters.class, "url", new UriType(valueSetUrl))
            .returnResourceType(ValueSet.class)
            .execute();
    return expanded.getExpansion().getContains().stream()
        .map(ValueSet.ValueSetExpansionContainsComponent::getCode)
        .toList();
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    HttpRequest request =
        TestIssuer.asOperator(URI.create(base() + path))
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static OperationOutcome parseOutcome(String body) {
    return FhirClients.R4.newJsonParser().parseResource(OperationOutcome.class, body);
  }
}
