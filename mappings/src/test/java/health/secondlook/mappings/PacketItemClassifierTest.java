package health.secondlook.mappings;

import static health.secondlook.mappings.Records.DICOM;
import static health.secondlook.mappings.Records.SNOMED;
import static health.secondlook.mappings.Records.V2_0487;
import static health.secondlook.mappings.Records.concept;
import static health.secondlook.mappings.TestFixtures.CLASSIFIER;
import static health.secondlook.mappings.TestFixtures.CTX;
import static health.secondlook.mappings.TestFixtures.PROFILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.secondlook.mappings.MappingProfile.Rule;
import health.secondlook.terminology.TerminologyContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CarePlan.CarePlanStatus;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacketItemClassifierTest {

  @Test
  void pathologyReportByLoinc() {
    assertThat(CLASSIFIER.classify(Records.report("path", "22637-3")))
        .containsExactly("pathology-report");
  }

  @Test
  void dischargeSummaryDocument() {
    assertThat(CLASSIFIER.classify(Records.document("discharge", "18842-5")))
        .containsExactly("discharge-summary");
  }

  @Test
  void ctChestReportIsAnImagingReport() {
    assertThat(CLASSIFIER.classify(Records.report("ct", "24627-2")))
        .containsExactly("imaging-report");
  }

  @Test
  void bloodCountPanelIsBloodTests() {
    assertThat(CLASSIFIER.classify(Records.report("cbc", "58410-2")))
        .containsExactly("blood-tests");
  }

  @Test
  void stagedPrimaryCancerIsDiagnosisAndStage() {
    assertThat(CLASSIFIER.classify(Records.cancer("cancer", "254837009", "IA")))
        .containsExactly("diagnosis-stage");
  }

  @Test
  void aCancerWithoutStageIsNotYetDiagnosisAndStage() {
    assertThat(CLASSIFIER.classify(Records.cancer("cancer", "254837009", null))).isEmpty();
  }

  @Test
  void clinicalStageGroupObservationIsDiagnosisAndStage() {
    assertThat(CLASSIFIER.classify(Records.observation("stage", "21908-9")))
        .containsExactly("diagnosis-stage");
  }

  @Test
  void imagingStudyOfAScanModalityIsTheScans() {
    assertThat(CLASSIFIER.classify(Records.study("ct", "CT"))).containsExactly("imaging-study");
  }

  @Test
  void imagingStudyIsRecognisedByItsSeriesModalityToo() {
    ImagingStudy study = Records.study("pet", "PT");
    study.setModality(List.of());
    study.addSeries().setUid("2.25.1").setModality(new Coding(DICOM, "PT", null));

    assertThat(CLASSIFIER.classify(study)).containsExactly("imaging-study");
  }

  @Test
  void activeCarePlanOfAnyCodeIsTheTreatmentPlanButAFinishedOneIsNot() {
    assertThat(CLASSIFIER.classify(Records.carePlan("plan", CarePlanStatus.ACTIVE)))
        .containsExactly("treatment-plan");
    assertThat(CLASSIFIER.classify(Records.carePlan("old", CarePlanStatus.COMPLETED))).isEmpty();
  }

  @Test
  void tissueSpecimenIsPathologyMaterialButBloodIsNot() {
    assertThat(CLASSIFIER.classify(Records.specimen("tissue", SNOMED, "119376003")))
        .containsExactly("pathology-material");
    assertThat(CLASSIFIER.classify(Records.specimen("block", V2_0487, "TUMOR")))
        .containsExactly("pathology-material");
    assertThat(CLASSIFIER.classify(Records.specimen("blood", V2_0487, "BLD"))).isEmpty();
  }

  /** The packet-item CodeSystem lets only a report carry the pathology item, not its results. */
  @Test
  void aReceptorResultAloneIsNeitherPathologyReportNorBloodTests() {
    assertThat(CLASSIFIER.classify(Records.observation("er", "85337-4"))).isEmpty();
  }

  @Test
  void unrelatedCodesSatisfyNothing() {
    assertThat(CLASSIFIER.classify(Records.report("vitals", "85353-1"))).isEmpty();
    assertThat(CLASSIFIER.classify(Records.document("progress", "11506-3"))).isEmpty();
    assertThat(CLASSIFIER.classify(Records.observation("heart-rate", "8867-4"))).isEmpty();
    assertThat(CLASSIFIER.classify(new Patient().setId("Patient/p1"))).isEmpty();
  }

  @Test
  void theRightCodeInTheWrongSystemSatisfiesNothing() {
    DiagnosticReport report = Records.report("path", "22637-3");
    report.setCode(concept("http://example.org/local-codes", "22637-3"));

    assertThat(CLASSIFIER.classify(report)).isEmpty();
  }

  @Test
  void aCodeWithoutSystemSatisfiesNothing() {
    DiagnosticReport report = Records.report("path", "22637-3");
    report.getCode().getCodingFirstRep().setSystem(null);

    assertThat(CLASSIFIER.classify(report)).isEmpty();
  }

  @Test
  void aReportEnteredInErrorSatisfiesNothing() {
    DiagnosticReport report = Records.report("path", "22637-3");
    report.setStatus(DiagnosticReportStatus.ENTEREDINERROR);

    assertThat(CLASSIFIER.classify(report)).isEmpty();
  }

  @Test
  void anyCodingOfTheConceptCounts() {
    Observation observation = Records.observation("hb", "718-7");
    observation.getCode().getCoding().add(0, new Coding("http://example.org/lab", "HB", null));

    assertThat(CLASSIFIER.classify(observation)).containsExactly("blood-tests");
  }

  @Test
  void aRuleNamingAValueSetTheTerminologyLacksFailsAtConstruction() {
    Rule rule = PROFILE.classification().get(2);
    MappingProfile broken =
        new MappingProfile(
            PROFILE.name(),
            PROFILE.description(),
            PROFILE.searches(),
            List.of(rule.withValueSet("https://example.org/ValueSet/nope")),
            PROFILE.conditions(),
            null);

    assertThatThrownBy(() -> new PacketItemClassifier(CTX, broken, TestFixtures.CODES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("r4-default classification[0] (pathology-report)")
        .hasMessageContaining("https://example.org/ValueSet/nope");
  }

  /**
   * A site adds a code to the pathology-report ValueSet JSON; the same profile and the same Java
   * now count a report with that code, because the classifier asks the ValueSet.
   */
  @Test
  void editingAValueSetChangesClassificationWithoutCodeChanges(@TempDir Path dir)
      throws IOException {
    DiagnosticReport surgicalPathology = Records.report("surgical-path", "11529-5");
    assertThat(CLASSIFIER.classify(surgicalPathology)).isEmpty();

    String file = "ValueSet-packet-item-pathology-report.json";
    ObjectMapper json = new ObjectMapper();
    ObjectNode valueSet;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("secondlook/terminology/" + file)) {
      valueSet = (ObjectNode) json.readTree(in);
    }
    ((ArrayNode) valueSet.at("/compose/include/0/concept"))
        .addObject()
        .put("code", "11529-5")
        .put("display", "Surgical pathology study");
    Files.writeString(dir.resolve(file), json.writeValueAsString(valueSet));

    ValueSet edited;
    try (Reader reader = Files.newBufferedReader(dir.resolve(file))) {
      edited = CTX.newJsonParser().parseResource(ValueSet.class, reader);
    }
    List<MetadataResource> terminology = new ArrayList<>(TerminologyContent.loadAll(CTX));
    terminology.removeIf(r -> edited.getUrl().equals(r.getUrl()));
    terminology.add(edited);
    PacketItemClassifier siteClassifier =
        new PacketItemClassifier(CTX, PROFILE, ValueSetCodeCheck.of(CTX, terminology));

    assertThat(siteClassifier.classify(surgicalPathology)).containsExactly("pathology-report");
    assertThat(siteClassifier.classify(Records.report("path", "22637-3")))
        .containsExactly("pathology-report");
  }

  @Test
  void loincDisplayDifferencesDoNotMatter() {
    DiagnosticReport report = Records.report("path", "22637-3");
    report.getCode().getCodingFirstRep().setDisplay("Path report (local wording)");

    assertThat(CLASSIFIER.classify(report)).containsExactly("pathology-report");
  }

  @Test
  void aDocumentCanCarryTheTreatmentPlan() {
    assertThat(CLASSIFIER.classify(Records.document("plan-note", "18776-5")))
        .containsExactly("treatment-plan");
  }
}
