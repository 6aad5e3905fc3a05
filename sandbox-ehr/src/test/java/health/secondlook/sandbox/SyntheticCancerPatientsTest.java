package health.secondlook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SyntheticCancerPatientsTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  static List<SyntheticPatient> patients() {
    return SyntheticCancerPatients.all();
  }

  static List<SyntheticPatient> completePatients() {
    return patients().stream().filter(SyntheticPatient::complete).toList();
  }

  @Test
  void buildsThreeCompleteRecordsAndOneIncomplete() {
    assertThat(patients())
        .extracting(SyntheticPatient::id, SyntheticPatient::cancerType, SyntheticPatient::complete)
        .containsExactly(
            tuple("breast-1", "breast", true),
            tuple("lung-1", "lung", true),
            tuple("colorectal-1", "colorectal", true),
            tuple("breast-2", "breast", false));
    assertThat(patients().get(3).missingItems())
        .containsExactly("pathology-report", "discharge-summary", "treatment-plan");
  }

  @Test
  void isDeterministic() {
    IParser parser = FHIR.newJsonParser();
    List<String> first =
        all(SyntheticCancerPatients.all()).map(parser::encodeResourceToString).toList();
    List<String> second =
        all(SyntheticCancerPatients.all()).map(parser::encodeResourceToString).toList();
    assertThat(first).isEqualTo(second);
  }

  @Test
  void idsAreUniqueAndPrefixedWithThePatientId() {
    Set<String> seen = new HashSet<>();
    for (SyntheticPatient patient : patients()) {
      for (Resource resource : patient.resources()) {
        assertThat(resource.getIdPart()).startsWith(patient.id());
        assertThat(seen.add(key(resource))).as("unique %s", key(resource)).isTrue();
      }
      assertThat(patient.resources()).filteredOn(Patient.class::isInstance).hasSize(1);
      assertThat(patient.resources().get(0).getIdPart()).isEqualTo(patient.id());
    }
  }

  @ParameterizedTest
  @MethodSource("patients")
  void everyReferenceResolvesWithinThePatientOrTheDirectory(SyntheticPatient patient) {
    Set<String> held =
        Stream.concat(patient.resources().stream(), SyntheticCancerPatients.directory().stream())
            .map(SyntheticCancerPatientsTest::key)
            .collect(Collectors.toSet());
    List<String> references = references(patient.resources());
    assertThat(references).hasSizeGreaterThan(30).allSatisfy(ref -> assertThat(held).contains(ref));
  }

  @ParameterizedTest
  @MethodSource("completePatients")
  void completeRecordsCarryEveryPacketItem(SyntheticPatient patient) {
    List<Resource> resources = patient.resources();
    Condition cancer = only(resources, Condition.class);
    assertThat(cancer.getStageFirstRep().getSummary().getCodingFirstRep().getCode()).isNotBlank();
    Observation stageGroup =
        find(resources, cancer.getStageFirstRep().getAssessmentFirstRep(), Observation.class);
    assertThat(stageGroup.getCode().getCodingFirstRep().getCode()).isEqualTo("21908-9");
    assertThat(stageGroup.getHasMember())
        .extracting(
            member ->
                find(resources, member, Observation.class).getCode().getCodingFirstRep().getCode())
        .containsExactly("21905-5", "21906-3", "21907-1");

    assertThat(reports(resources, "22637-3")).hasSize(1);
    DiagnosticReport pathology = reports(resources, "22637-3").get(0);
    assertThat(pathology.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("SP");
    assertThat(pathology.getPresentedFormFirstRep().getData()).isNotEmpty();
    assertThat(
            find(resources, pathology.getSpecimenFirstRep(), Specimen.class)
                .getType()
                .getCodingFirstRep()
                .getCode())
        .isEqualTo("119376003");

    List<DiagnosticReport> imaging =
        ofType(resources, DiagnosticReport.class).stream()
            .filter(
                report -> report.getCategoryFirstRep().getCodingFirstRep().getCode().equals("RAD"))
            .toList();
    assertThat(imaging).isNotEmpty();
    ImagingStudy study =
        find(resources, imaging.get(0).getImagingStudyFirstRep(), ImagingStudy.class);
    assertThat(study.getSeriesFirstRep().getUid()).matches("2\\.25\\.\\d+");
    assertThat(study.getSeriesFirstRep().getInstanceFirstRep().getUid()).matches("2\\.25\\.\\d+");
    assertThat(study.getEndpointFirstRep().getReference()).isEqualTo("Endpoint/sandbox-pacs");

    assertThat(reports(resources, "58410-2"))
        .singleElement()
        .satisfies(cbc -> assertThat(cbc.getResult()).hasSize(3));
    assertThat(only(resources, CarePlan.class).getDescription()).isNotBlank();
    assertThat(observations(resources, "89247-1")).hasSize(1);

    boolean surgery =
        ofType(resources, Procedure.class).stream()
            .anyMatch(SyntheticCancerPatientsTest::isSurgical);
    assertThat(dischargeSummaries(resources)).hasSize(surgery ? 1 : 0);
  }

  @Test
  void breastPathologyCarriesReceptorResults() {
    List<Resource> resources = patients().get(0).resources();
    DiagnosticReport pathology = reports(resources, "22637-3").get(0);
    assertThat(pathology.getResult())
        .extracting(
            ref -> find(resources, ref, Observation.class).getCode().getCodingFirstRep().getCode())
        .containsExactly("85337-4", "85339-0", "48676-1");
  }

  @Test
  void dischargeSummaryTextIsABinaryOfTheStatedSize() {
    List<Resource> resources = patients().get(0).resources();
    Attachment attachment =
        dischargeSummaries(resources).get(0).getContentFirstRep().getAttachment();
    assertThat(attachment.getContentType()).isEqualTo("text/plain");
    Binary binary = find(resources, new Reference(attachment.getUrl()), Binary.class);
    assertThat(binary.getData()).hasSize(attachment.getSize());
  }

  @Test
  void incompletePatientLacksExactlyTheDocumentedItems() {
    SyntheticPatient patient = patients().get(3);
    List<Resource> resources = patient.resources();
    assertThat(ofType(resources, Procedure.class))
        .anyMatch(SyntheticCancerPatientsTest::isSurgical);
    assertThat(reports(resources, "22637-3")).isEmpty();
    assertThat(reports(resources, "60568-3")).isEmpty();
    assertThat(dischargeSummaries(resources)).isEmpty();
    assertThat(ofType(resources, CarePlan.class)).isEmpty();
    // what it does have: stage, imaging report and study, blood tests, tissue
    assertThat(only(resources, Condition.class).getStageFirstRep().hasAssessment()).isTrue();
    assertThat(ofType(resources, ImagingStudy.class)).isNotEmpty();
    assertThat(reports(resources, "24606-6")).hasSize(1);
    assertThat(reports(resources, "58410-2")).hasSize(1);
    assertThat(ofType(resources, Specimen.class)).hasSize(1);
  }

  @Test
  void volumeRecordHasTheRequestedSizeAndStaysConsistent() {
    SyntheticPatient volume = SyntheticCancerPatients.withVolume("volume-1", 600);
    assertThat(volume.resources()).hasSize(600);
    assertThat(volume.resources().stream().map(SyntheticCancerPatientsTest::key).distinct())
        .hasSize(600);
    Set<String> held =
        Stream.concat(volume.resources().stream(), SyntheticCancerPatients.directory().stream())
            .map(SyntheticCancerPatientsTest::key)
            .collect(Collectors.toSet());
    assertThat(references(volume.resources())).allSatisfy(ref -> assertThat(held).contains(ref));
    assertThat(ofType(volume.resources(), DocumentReference.class)).hasSizeGreaterThan(10);
    assertThat(ofType(volume.resources(), ImagingStudy.class)).hasSizeGreaterThan(10);
    assertThatThrownBy(() -> SyntheticCancerPatients.withVolume("tiny", 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- helpers -------------------------------------------------------------------------------

  static String key(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdPart();
  }

  /** Every relative reference and Binary attachment URL in the resources. */
  static List<String> references(List<Resource> resources) {
    var terser = FHIR.newTerser();
    return resources.stream()
        .flatMap(
            resource ->
                Stream.concat(
                    terser.getAllPopulatedChildElementsOfType(resource, Reference.class).stream()
                        .map(Reference::getReference),
                    terser.getAllPopulatedChildElementsOfType(resource, Attachment.class).stream()
                        .map(Attachment::getUrl)))
        .filter(value -> value != null && !value.startsWith("http"))
        .toList();
  }

  static boolean isSurgical(Procedure procedure) {
    return procedure.getCategory().getCoding().stream()
        .anyMatch(c -> c.getCode().equals("387713003"));
  }

  private static Stream<Resource> all(List<SyntheticPatient> patients) {
    return patients.stream().flatMap(patient -> patient.resources().stream());
  }

  private static <T extends Resource> List<T> ofType(List<Resource> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends Resource> T only(List<Resource> resources, Class<T> type) {
    List<T> found = ofType(resources, type);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static <T extends Resource> T find(
      List<Resource> resources, Reference ref, Class<T> type) {
    return ofType(resources, type).stream()
        .filter(resource -> key(resource).equals(ref.getReference()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("unresolved " + ref.getReference()));
  }

  private static List<DiagnosticReport> reports(List<Resource> resources, String loinc) {
    return ofType(resources, DiagnosticReport.class).stream()
        .filter(report -> report.getCode().getCodingFirstRep().getCode().equals(loinc))
        .toList();
  }

  private static List<Observation> observations(List<Resource> resources, String loinc) {
    return ofType(resources, Observation.class).stream()
        .filter(observation -> observation.getCode().getCodingFirstRep().getCode().equals(loinc))
        .toList();
  }

  private static List<DocumentReference> dischargeSummaries(List<Resource> resources) {
    return ofType(resources, DocumentReference.class).stream()
        .filter(document -> document.getType().getCodingFirstRep().getCode().equals("18842-5"))
        .toList();
  }
}
