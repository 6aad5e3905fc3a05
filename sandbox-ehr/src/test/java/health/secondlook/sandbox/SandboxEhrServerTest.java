package health.secondlook.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.test.utilities.server.RestfulServerExtension;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sandbox EHR in HAPI's RestfulServerExtension, driven by a real HAPI generic client. */
class SandboxEhrServerTest {

  private static final int PAGE_SIZE = 5;
  private static final SyntheticPatient VOLUME =
      SyntheticCancerPatients.withVolume("volume-1", 600);
  private static final SandboxEhr EHR =
      new SandboxEhr(FhirContext.forR4Cached(), PAGE_SIZE)
          .seed(Stream.concat(SyntheticCancerPatients.all().stream(), Stream.of(VOLUME)).toList());

  @RegisterExtension
  static final RestfulServerExtension SERVER =
      new RestfulServerExtension(FhirContext.forR4Cached())
          .withServer(EHR::installInto)
          .keepAliveBetweenTests();

  static List<SyntheticPatient> patients() {
    return SyntheticCancerPatients.all();
  }

  @Test
  void capabilityStatementNamesTheSandboxAndItsSearches() {
    CapabilityStatement statement =
        client().capabilities().ofType(CapabilityStatement.class).execute();
    assertThat(statement.getTitle()).isEqualTo("SecondLook sandbox EHR");
    assertThat(statement.getSoftware().getName()).isEqualTo("SecondLook sandbox EHR");
    assertThat(statement.getRestFirstRep().getResource())
        .extracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
        .contains(
            "Patient",
            "Condition",
            "Observation",
            "DiagnosticReport",
            "ImagingStudy",
            "Endpoint",
            "CarePlan",
            "MedicationRequest",
            "Procedure",
            "DocumentReference",
            "Binary",
            "Specimen",
            "Practitioner",
            "Organization",
            "Encounter");
    assertThat(
            statement.getRestFirstRep().getResource().stream()
                .filter(resource -> resource.getType().equals("Observation"))
                .flatMap(resource -> resource.getSearchParam().stream())
                .map(
                    CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent
                        ::getName))
        .contains("patient", "subject", "_id");
  }

  @ParameterizedTest
  @MethodSource("patients")
  void patientSearchReturnsExactlyThatPatientsReports(SyntheticPatient patient) {
    Set<String> expected = idsOf(patient.resources(), "DiagnosticReport");
    assertThat(expected).isNotEmpty();
    assertThat(searchAll("DiagnosticReport?patient=Patient/" + patient.id())).isEqualTo(expected);
  }

  @Test
  void pagingWithCountFiveWalksEveryPageAndFindsEachObservationOnce() {
    Bundle first = search("Observation?patient=breast-1&_count=5");
    assertThat(first.getEntry()).hasSize(5);
    assertThat(first.getLink(Bundle.LINK_NEXT)).isNotNull();
    List<Resource> walked = walk(first);
    Set<String> expected = idsOf(patients().get(0).resources(), "Observation");
    assertThat(expected).hasSizeGreaterThan(10);
    assertThat(walked).hasSize(expected.size());
    assertThat(walked.stream().map(SyntheticCancerPatientsTest::key).collect(Collectors.toSet()))
        .isEqualTo(expected);
  }

  @Test
  void patientAndSubjectAcceptTypedAndBareReferences() {
    Set<String> expected = idsOf(patients().get(1).resources(), "Observation");
    assertThat(searchAll("Observation?patient=lung-1")).isEqualTo(expected);
    assertThat(searchAll("Observation?patient=Patient/lung-1")).isEqualTo(expected);
    assertThat(searchAll("Observation?subject=Patient/lung-1")).isEqualTo(expected);
    assertThat(searchAll("Observation?subject=lung-1")).isEqualTo(expected);
    assertThat(searchAll("Observation?subject=Group/lung-1")).isEmpty();
    assertThat(searchAll("Observation?_id=lung-1-ecog,breast-1-ecog"))
        .containsExactlyInAnyOrder("Observation/lung-1-ecog", "Observation/breast-1-ecog");
  }

  @Test
  void tokenParametersNarrowAPatientSearch() {
    assertThat(searchAll("DocumentReference?patient=colorectal-1&type=http://loinc.org|18842-5"))
        .containsExactly("DocumentReference/colorectal-1-discharge-summary");
    assertThat(
            searchAll(
                "DiagnosticReport?patient=colorectal-1"
                    + "&category=http://terminology.hl7.org/CodeSystem/v2-0074|SP"))
        .containsExactly("DiagnosticReport/colorectal-1-pathology-report");
    assertThat(searchAll("Observation?patient=colorectal-1&code=2039-6"))
        .containsExactly("Observation/colorectal-1-cea");
    assertThat(searchAll("Observation?patient=colorectal-1&category=laboratory,survey")).hasSize(5);
    // the shape of the stage query in mappings' r4-default.json
    assertThat(
            searchAll(
                "Observation?patient=colorectal-1&code=http://loinc.org|21908-9,"
                    + "http://loinc.org|21905-5,http://loinc.org|21906-3,http://loinc.org|21907-1,"
                    + "http://snomed.info/sct|21908-9,http://loinc.org|89247-1&_count=100"))
        .containsExactlyInAnyOrder(
            "Observation/colorectal-1-stage-group",
            "Observation/colorectal-1-stage-t",
            "Observation/colorectal-1-stage-n",
            "Observation/colorectal-1-stage-m",
            "Observation/colorectal-1-ecog");
  }

  @Test
  void unsupportedSearchesAreRefusedRatherThanIgnored() {
    assertThatThrownBy(() -> search("Observation?patient=breast-1&date=ge2025-01-01"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> search("ImagingStudy?patient=breast-1&code=x"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> search("Observation?patient.identifier=SBX-0001"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @ParameterizedTest
  @MethodSource("patients")
  void everythingReturnsThePatientsWholeRecordAndWhatItReferences(SyntheticPatient patient) {
    Set<String> returned = keys(walk(everything(patient.id(), null)));
    Set<String> own =
        patient.resources().stream()
            .map(SyntheticCancerPatientsTest::key)
            .collect(Collectors.toSet());
    Set<String> directory =
        SyntheticCancerPatients.directory().stream()
            .map(SyntheticCancerPatientsTest::key)
            .collect(Collectors.toSet());
    assertThat(returned).containsAll(own);
    assertThat(returned).filteredOn(key -> !own.contains(key)).isNotEmpty().isSubsetOf(directory);
  }

  @Test
  void everythingOfAnUnknownPatientIsNotFound() {
    assertThatThrownBy(() -> everything("no-such-patient", null))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void everythingPagesAVolumeRecord() {
    Bundle first = everything("volume-1", 100);
    assertThat(first.getEntry()).hasSize(100);
    List<Resource> walked = walk(first);
    assertThat(keys(walked)).hasSize(walked.size());
    assertThat(walked).hasSizeBetween(600, 600 + SyntheticCancerPatients.directory().size());
  }

  @ParameterizedTest
  @MethodSource("patients")
  void everyReferenceInARecordResolvesOnTheServer(SyntheticPatient patient) {
    IGenericClient client = client();
    Set<String> references =
        new LinkedHashSet<>(SyntheticCancerPatientsTest.references(patient.resources()));
    assertThat(references).hasSizeGreaterThan(10);
    for (String reference : references) {
      IdType id = new IdType(reference);
      Resource read =
          (Resource) client.read().resource(id.getResourceType()).withId(id.getIdPart()).execute();
      assertThat(read.getIdPart()).isEqualTo(id.getIdPart());
    }
  }

  @Test
  void incompletePatientLacksPathologyDischargeSummaryAndPlanButWasOperatedOn() {
    List<Resource> reports = walk(search("DiagnosticReport?patient=breast-2"));
    assertThat(reports).isNotEmpty();
    assertThat(reports)
        .map(DiagnosticReport.class::cast)
        .noneMatch(report -> hasCode(report.getCode(), "22637-3", "60568-3"))
        .noneMatch(report -> report.getCategory().stream().anyMatch(c -> hasCode(c, "SP", "PAT")));
    assertThat(walk(search("DocumentReference?patient=breast-2")))
        .map(DocumentReference.class::cast)
        .noneMatch(document -> hasCode(document.getType(), "18842-5"));
    assertThat(searchAll("CarePlan?patient=breast-2")).isEmpty();
    assertThat(searchAll("Procedure?patient=breast-2&category=http://snomed.info/sct|387713003"))
        .containsExactly("Procedure/breast-2-lumpectomy");
  }

  @Test
  void createReadUpdateVreadAndDelete() {
    IGenericClient client = client();
    Patient patient = new Patient();
    patient.addName().setFamily("Crud-Testpatient");
    IdType created = (IdType) client.create().resource(patient).execute().getId();
    assertThat(
            client
                .read()
                .resource(Patient.class)
                .withId(created.getIdPart())
                .execute()
                .getNameFirstRep()
                .getFamily())
        .isEqualTo("Crud-Testpatient");

    Observation observation = new Observation();
    observation.setId("crud-observation");
    observation.setStatus(Observation.ObservationStatus.PRELIMINARY);
    observation.setSubject(new Reference("Patient/" + created.getIdPart()));
    assertThat(client.update().resource(observation).execute().getCreated()).isTrue();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    IdType second = (IdType) client.update().resource(observation).execute().getId();
    assertThat(second.getVersionIdPart()).isEqualTo("2");
    assertThat(
            client
                .read()
                .resource(Observation.class)
                .withIdAndVersion("crud-observation", "1")
                .execute()
                .getStatus())
        .isEqualTo(Observation.ObservationStatus.PRELIMINARY);
    assertThat(searchAll("Observation?patient=" + created.getIdPart()))
        .containsExactly("Observation/crud-observation");

    client.delete().resourceById("Observation", "crud-observation").execute();
    assertThatThrownBy(
            () -> client.read().resource(Observation.class).withId("crud-observation").execute())
        .isInstanceOf(ResourceGoneException.class);
    assertThat(searchAll("Observation?patient=" + created.getIdPart())).isEmpty();
    assertThatThrownBy(
            () -> client.read().resource(Observation.class).withId("no-such-id").execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void dischargeSummaryTextIsServedAsABinary() {
    DocumentReference summary =
        client()
            .read()
            .resource(DocumentReference.class)
            .withId("breast-1-discharge-summary")
            .execute();
    String url = summary.getContentFirstRep().getAttachment().getUrl();
    Binary binary =
        client().read().resource(Binary.class).withId(new IdType(url).getIdPart()).execute();
    assertThat(binary.getContentType()).isEqualTo("text/plain");
    assertThat(new String(binary.getData(), UTF_8)).startsWith("Discharge summary (synthetic)");
  }

  // --- helpers -------------------------------------------------------------------------------

  private static IGenericClient client() {
    return SERVER.getFhirClient();
  }

  private static Bundle search(String url) {
    return client().search().byUrl(url).returnBundle(Bundle.class).execute();
  }

  private static Set<String> searchAll(String url) {
    return keys(walk(search(url)));
  }

  private static Bundle everything(String patientId, Integer count) {
    Parameters parameters = new Parameters();
    if (count != null) {
      parameters.addParameter().setName("_count").setValue(new IntegerType(count));
    }
    return client()
        .operation()
        .onInstance(new IdType("Patient", patientId))
        .named("$everything")
        .withParameters(parameters)
        .useHttpGet()
        .returnResourceType(Bundle.class)
        .execute();
  }

  /** Follows next links to the end, collecting every entry. */
  private static List<Resource> walk(Bundle first) {
    IGenericClient client = client();
    List<Resource> resources = new ArrayList<>();
    Bundle page = first;
    while (true) {
      page.getEntry().forEach(entry -> resources.add(entry.getResource()));
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return resources;
      }
      page = client.loadPage().next(page).execute();
    }
  }

  private static Set<String> keys(List<Resource> resources) {
    return resources.stream()
        .map(SyntheticCancerPatientsTest::key)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<String> idsOf(List<Resource> resources, String type) {
    return resources.stream()
        .filter(resource -> resource.fhirType().equals(type))
        .map(SyntheticCancerPatientsTest::key)
        .collect(Collectors.toSet());
  }

  private static boolean hasCode(CodeableConcept concept, String... codes) {
    return concept.getCoding().stream().anyMatch(c -> List.of(codes).contains(c.getCode()));
  }
}
