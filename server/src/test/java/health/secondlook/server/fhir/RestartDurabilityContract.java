package health.secondlook.server.fhir;

import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_VALUE_SET;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.SecondLookApplication;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.TestIssuer;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A restart must keep everything stored and must not install the terminology a second time. Boots
 * the real application twice on the same database.
 */
abstract class RestartDurabilityContract {

  /** Properties that point both boots at the same, initially empty, database. */
  abstract Map<String, Object> sameDatabaseTwice();

  @Test
  void restartKeepsStoredResourcesAndDoesNotDuplicateTerminology() {
    Map<String, Object> database = sameDatabaseTwice();
    String patientId;
    String outcomeVersion;
    try (ConfigurableApplicationContext first = start(database)) {
      IGenericClient fhir = client(first);
      Patient patient = new Patient();
      patient.addName().setFamily("Durable");
      patientId =
          fhir.create().resource(patient).execute().getId().toUnqualifiedVersionless().getValue();
      outcomeVersion = reviewOutcome(fhir).getMeta().getVersionId();
    }

    try (ConfigurableApplicationContext second = start(database)) {
      IGenericClient fhir = client(second);
      Patient patient = fhir.read().resource(Patient.class).withUrl(patientId).execute();
      assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Durable");
      assertThat(reviewOutcome(fhir).getMeta().getVersionId()).isEqualTo(outcomeVersion);
      assertThat(countByUrl(fhir, ValueSet.class, PACKET_ITEM_VALUE_SET)).isEqualTo(1);
    }
  }

  private static ConfigurableApplicationContext start(Map<String, Object> database) {
    // Command-line arguments, because they outrank application.yaml as they do in production.
    Stream<String> arguments =
        Stream.concat(
            database.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()),
            Stream.concat(Stream.of("--server.port=0"), TestIssuer.get().arguments().stream()));
    return new SpringApplicationBuilder(SecondLookApplication.class)
        .run(arguments.toArray(String[]::new));
  }

  private static IGenericClient client(ConfigurableApplicationContext context) {
    String port = context.getEnvironment().getProperty("local.server.port");
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }

  private static CodeSystem reviewOutcome(IGenericClient fhir) {
    Bundle found =
        fhir.search()
            .forResource(CodeSystem.class)
            .where(CodeSystem.URL.matches().value(REVIEW_OUTCOME_SYSTEM))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry()).hasSize(1);
    return (CodeSystem) found.getEntryFirstRep().getResource();
  }

  private static int countByUrl(
      IGenericClient fhir,
      Class<? extends org.hl7.fhir.r4.model.MetadataResource> type,
      String url) {
    return fhir.search()
        .forResource(type)
        .where(new ca.uhn.fhir.rest.gclient.UriClientParam("url").matches().value(url))
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .size();
  }
}
