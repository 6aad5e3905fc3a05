package health.secondlook.mappings;

import static health.secondlook.mappings.Records.DIAGNOSTIC;
import static health.secondlook.mappings.Records.DICOM;
import static health.secondlook.mappings.Records.DICOM_CID_29;
import static health.secondlook.mappings.Records.DICOM_OID;
import static health.secondlook.mappings.Records.LUMPECTOMY;
import static health.secondlook.mappings.Records.SNOMED;
import static health.secondlook.mappings.Records.SNOMED_OID;
import static health.secondlook.mappings.Records.SURGICAL;
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
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CarePlan.CarePlanStatus;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure.ProcedureStatus;
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
  void stagedPrimaryCancerIsTheDiagnosisAndTheStage() {
    assertThat(CLASSIFIER.classify(Records.cancer("cancer", "254837009", "IA")))
        .containsExactly("diagnosis", "stage");
  }

  @Test
  void aCancerWithoutStageIsTheDiagnosisButNotTheStage() {
    assertThat(CLASSIFIER.classify(Records.cancer("cancer", "254837009", null)))
        .containsExactly("diagnosis");
  }

  /** The Condition stage rule tests the code against the diagnosis ValueSet, not the stage one. */
  @Test
  void aStagedConditionThatIsNotACancerIsNeitherDiagnosisNorStage() {
    assertThat(CLASSIFIER.classify(Records.cancer("ckd", "433144002", "3"))).isEmpty();
  }

  @Test
  void aRefutedCancerIsNeitherDiagnosisNorStage() {
    Condition refuted = Records.cancer("cancer", "254837009", "IA");
    refuted.setVerificationStatus(
        concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "refuted"));

    assertThat(CLASSIFIER.classify(refuted)).isEmpty();
  }

  @Test
  void aCancerCodedUnderTheSnomedOidIsTheDiagnosis() {
    assertThat(CLASSIFIER.classify(Records.cancer("colon", "363406005", null)))
        .containsExactly("diagnosis");
    Condition byOid = Records.cancer("colon", "363406005", null);
    byOid.getCode().getCodingFirstRep().setSystem(SNOMED_OID);

    assertThat(CLASSIFIER.classify(byOid)).containsExactly("diagnosis");
  }

  @Test
  void clinicalStageGroupObservationIsTheStage() {
    assertThat(CLASSIFIER.classify(Records.observation("stage", "21908-9")))
        .containsExactly("stage");
  }

  @Test
  void pathologicalTStageBySnomedIsTheStage() {
    Observation t = Records.observation("pt", "21899-0");
    t.setCode(concept(SNOMED, "384625004"));

    assertThat(CLASSIFIER.classify(t)).containsExactly("stage");
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

  /** Synthea 3.x writes series.modality under the web page of DICOM context group 29. */
  @Test
  void aSeriesModalityUnderSyntheasCid29AddressIsTheScans() {
    assertThat(CLASSIFIER.classify(Records.seriesStudy("ct", DICOM_CID_29, "CT")))
        .containsExactly("imaging-study");
  }

  @Test
  void aModalityUnderTheDicomOidIsTheScans() {
    assertThat(CLASSIFIER.classify(Records.seriesStudy("mr", DICOM_OID, "MR")))
        .containsExactly("imaging-study");
    ImagingStudy studyLevel = Records.study("us", "US");
    studyLevel.getModalityFirstRep().setSystem(DICOM_OID);
    assertThat(CLASSIFIER.classify(studyLevel)).containsExactly("imaging-study");
  }

  /** The alias comes from the terminology's NamingSystem: without it the CID 29 code is unknown. */
  @Test
  void withoutTheDicomNamingSystemTheCid29ModalityIsNotRecognised() {
    List<MetadataResource> terminology = new ArrayList<>(TerminologyContent.loadAll(CTX));
    assertThat(
            terminology.removeIf(
                r -> r instanceof NamingSystem && r.getIdPart().equals("dicom-dcm")))
        .isTrue();
    PacketItemClassifier withoutAliases =
        new PacketItemClassifier(CTX, PROFILE, ValueSetCodeCheck.of(CTX, terminology));

    assertThat(withoutAliases.classify(Records.seriesStudy("ct", DICOM_CID_29, "CT"))).isEmpty();
    assertThat(withoutAliases.classify(Records.seriesStudy("ct", DICOM, "CT")))
        .containsExactly("imaging-study");
  }

  @Test
  void aCodeThatIsNoModalityUnderTheCid29AddressIsNotTheScans() {
    assertThat(CLASSIFIER.classify(Records.seriesStudy("sr", DICOM_CID_29, "SR"))).isEmpty();
  }

  @Test
  void operationsAndBiopsiesAreSurgicalProcedures() {
    for (String code : List.of(LUMPECTOMY, "396487001", "43075005", "122548005")) {
      assertThat(CLASSIFIER.classify(Records.procedure("p", code, null, ProcedureStatus.COMPLETED)))
          .as(code)
          .containsExactly("surgical-procedures");
    }
    // An operation the ValueSet does not list, categorised as surgical.
    assertThat(
            CLASSIFIER.classify(
                Records.procedure("p", "0000000", SURGICAL, ProcedureStatus.COMPLETED)))
        .containsExactly("surgical-procedures");
  }

  @Test
  void hospiceCareAndScreeningsAreNoSurgicalProcedure() {
    assertThat(
            CLASSIFIER.classify(
                Records.procedure("hospice", "385763009", null, ProcedureStatus.COMPLETED)))
        .isEmpty();
    assertThat(
            CLASSIFIER.classify(
                Records.procedure("phq", "171207006", DIAGNOSTIC, ProcedureStatus.COMPLETED)))
        .isEmpty();
  }

  @Test
  void anOperationNotDoneIsNoSurgicalProcedure() {
    assertThat(
            CLASSIFIER.classify(
                Records.procedure("lumpectomy", LUMPECTOMY, null, ProcedureStatus.NOTDONE)))
        .isEmpty();
  }

  @Test
  void anActiveMedicationRequestIsCurrentButAStoppedOneIsNot() {
    assertThat(
            CLASSIFIER.classify(
                Records.medication("letrozole", "72965", MedicationRequestStatus.ACTIVE)))
        .containsExactly("current-medications");
    assertThat(
            CLASSIFIER.classify(
                Records.medication("tamoxifen", "10324", MedicationRequestStatus.STOPPED)))
        .isEmpty();
    assertThat(
            CLASSIFIER.classify(
                Records.medication("old", "10324", MedicationRequestStatus.COMPLETED)))
        .isEmpty();
  }

  @Test
  void progressAndConsultNotesAreClinicalNotes() {
    assertThat(CLASSIFIER.classify(Records.document("progress", "11506-3")))
        .containsExactly("clinical-notes");
    assertThat(CLASSIFIER.classify(Records.document("consult", "11488-4")))
        .containsExactly("clinical-notes");
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
    assertThat(CLASSIFIER.classify(Records.document("consent", "59284-0"))).isEmpty();
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
  void classifyAllNamesEveryUnkeptRecordOfAClassifiedTypeAndNoOtherResource() {
    Classification classification =
        CLASSIFIER.classifyAll(
            List.of(
                Records.cancer("cancer", "254837009", null),
                Records.cancer("ckd", "433144002", "3"),
                Records.carePlan("old", CarePlanStatus.COMPLETED),
                Records.carePlan("plan", CarePlanStatus.ACTIVE),
                new Patient().setId("Patient/p1")));

    assertThat(classification.satisfying())
        .containsOnlyKeys("diagnosis", "treatment-plan")
        .containsEntry("diagnosis", new TreeSet<>(List.of("Condition/cancer")))
        .containsEntry("treatment-plan", new TreeSet<>(List.of("CarePlan/plan")));
    assertThat(classification.leftOut())
        .containsExactly(
            new Classification.LeftOut(
                "CarePlan: matches none of the mapping's rules for CarePlan (treatment-plan)",
                List.of("CarePlan/old")),
            new Classification.LeftOut(
                "Condition: matches none of the mapping's rules for Condition (diagnosis, stage)",
                List.of("Condition/ckd")));
  }

  @Test
  void aRuleNamingAValueSetTheTerminologyLacksFailsAtConstruction() {
    Rule rule = PROFILE.classification().get(3);
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
