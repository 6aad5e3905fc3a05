package health.secondlook.mappings;

import static health.secondlook.mappings.Records.DIAGNOSTIC;
import static health.secondlook.mappings.Records.LUMPECTOMY;
import static health.secondlook.mappings.Records.SNOMED;
import static health.secondlook.mappings.Records.SURGICAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import health.secondlook.mappings.Classification.LeftOut;
import health.secondlook.mappings.CompletenessReport.Item;
import health.secondlook.mappings.CompletenessReport.Status;
import health.secondlook.terminology.PacketItemDefinition;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan.CarePlanStatus;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure.ProcedureStatus;
import org.junit.jupiter.api.Test;

class CompletenessAssessorTest {

  private static final String OBSERVATION_UNMATCHED =
      "Observation: matches none of the mapping's rules for Observation (blood-tests, stage)";
  private static final String PROCEDURE_UNMATCHED =
      "Procedure: matches none of the mapping's rules for Procedure (surgical-procedures)";

  private final CompletenessAssessor assessor =
      new CompletenessAssessor(
          TestFixtures.ITEMS, TestFixtures.CLASSIFIER, TestFixtures.CONDITIONS);

  /**
   * An operated breast cancer patient with every record a second opinion asks for, and two
   * Observations (a receptor result, a heart rate) that no rule keeps.
   */
  private static List<IBaseResource> completeRecord() {
    return new ArrayList<>(
        List.of(
            Records.cancer("cancer", "254837009", "IIA"),
            Records.observation("stage-group", "21908-9"),
            Records.report("pathology", "22637-3"),
            Records.observation("er", "85337-4"),
            Records.report("mammogram-report", "24606-6"),
            Records.study("mammogram", "MG"),
            Records.labReport("cbc", "58410-2", "2024-05-02"),
            Records.labResult("cbc-hgb", "718-7", "2024-05-02"),
            Records.procedure("lumpectomy", LUMPECTOMY, SURGICAL, ProcedureStatus.COMPLETED),
            Records.document("discharge", "18842-5"),
            Records.carePlan("plan", CarePlanStatus.ACTIVE),
            Records.medication("letrozole", "72965", MedicationRequestStatus.ACTIVE),
            Records.note("oncology-note", "11506-3", "2024-05-10T09:00:00Z"),
            Records.specimen("tissue", SNOMED, "119376003"),
            Records.observation("heart-rate", "8867-4")));
  }

  private static void remove(List<IBaseResource> record, String idPattern) {
    record.removeIf(r -> r.getIdElement().getIdPart().matches(idPattern));
  }

  /** The reason a rule's {@code recent} selection gives for what it cuts, by its index. */
  private static String cutBy(String item, String resourceType, String keeps) {
    List<MappingProfile.Rule> rules = TestFixtures.PROFILE.classification();
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).item().equals(item) && rules.get(i).resourceType().equals(resourceType)) {
        return item + " (classification[" + i + "]): only the " + keeps + " are sent";
      }
    }
    throw new AssertionError("No " + item + " rule for " + resourceType);
  }

  @Test
  void aCompleteRecordIsCompleteWithEveryItemPresentAndItsResources() {
    CompletenessReport report = assessor.assess(completeRecord(), true);

    assertThat(report.complete()).isTrue();
    assertThat(report.missing()).isEmpty();
    assertThat(report.items())
        .extracting(Item::code, Item::status, Item::resources)
        .containsExactly(
            tuple("diagnosis", Status.PRESENT, List.of("Condition/cancer")),
            tuple("stage", Status.PRESENT, List.of("Condition/cancer", "Observation/stage-group")),
            tuple("pathology-report", Status.PRESENT, List.of("DiagnosticReport/pathology")),
            tuple("imaging-report", Status.PRESENT, List.of("DiagnosticReport/mammogram-report")),
            tuple("imaging-study", Status.PRESENT, List.of("ImagingStudy/mammogram")),
            tuple(
                "blood-tests",
                Status.PRESENT,
                List.of("DiagnosticReport/cbc", "Observation/cbc-hgb")),
            tuple("discharge-summary", Status.PRESENT, List.of("DocumentReference/discharge")),
            tuple("surgical-procedures", Status.PRESENT, List.of("Procedure/lumpectomy")),
            tuple("treatment-plan", Status.PRESENT, List.of("CarePlan/plan")),
            tuple("current-medications", Status.PRESENT, List.of("MedicationRequest/letrozole")),
            tuple("clinical-notes", Status.PRESENT, List.of("DocumentReference/oncology-note")),
            tuple("pathology-material", Status.PRESENT, List.of("Specimen/tissue")),
            tuple("patient-questions", Status.PRESENT, List.of()));
    assertThat(report.items()).allSatisfy(item -> assertThat(item.rationale()).isNull());
    assertThat(report.leftOut())
        .containsExactly(
            new LeftOut(
                OBSERVATION_UNMATCHED, List.of("Observation/er", "Observation/heart-rate")));
  }

  /**
   * Diagnosis and stage are separate items: an unstaged cancer is named, and its stage asked for.
   */
  @Test
  void anUnstagedBreastCancerIsTheDiagnosisAndTheStageIsMissing() {
    List<IBaseResource> record = completeRecord();
    remove(record, "cancer|stage-group");
    record.add(Records.cancer("cancer", "254837009", null));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isFalse();
    assertThat(report.item("diagnosis").status()).isEqualTo(Status.PRESENT);
    assertThat(report.item("diagnosis").resources()).containsExactly("Condition/cancer");
    assertThat(report.missing()).extracting(Item::code).containsExactly("stage");
    Item stage = report.item("stage");
    assertThat(stage.resources()).isEmpty();
    assertThat(stage.rationale())
        .isEqualTo(TestFixtures.item("stage").rationale())
        .startsWith("Without the stage the specialist cannot judge");
  }

  @Test
  void aStageGroupObservationStagesACancerConditionThatHasNoStage() {
    List<IBaseResource> record = completeRecord();
    remove(record, "cancer");
    record.add(Records.cancer("cancer", "254837009", null));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isTrue();
    assertThat(report.item("diagnosis").resources()).containsExactly("Condition/cancer");
    assertThat(report.item("stage").resources()).containsExactly("Observation/stage-group");
  }

  /**
   * Years of laboratory results: only those of the year before the newest travel, though the newest
   * is itself years before today (the reference is the record, not the clock); the older and the
   * undated are named in the report under the blood-tests rule.
   */
  @Test
  void onlyLabResultsOfTheYearBeforeTheNewestSatisfyBloodTestsAndTheRestAreLeftOut() {
    List<IBaseResource> record = completeRecord();
    remove(record, "cbc-hgb");
    record.addAll(
        List.of(
            Records.labResult("hgb-2019", "718-7", "2019-05-10"),
            Records.labResult("plt-2021", "777-3", "2021-06-01"),
            Records.labResult("cea-2023-01", "2039-6", "2023-01-15"),
            Records.labResult("hgb-boundary", "718-7", "2023-06-30T10:00:00Z"),
            Records.labResult("wbc-2023-08", "6690-2", "2023-08-20"),
            Records.labResult("hgb-newest", "718-7", "2024-06-30T10:00:00Z"),
            Records.labResult("hgb-undated", "718-7", null)));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.item("blood-tests").status()).isEqualTo(Status.PRESENT);
    assertThat(report.item("blood-tests").resources())
        .containsExactly(
            "DiagnosticReport/cbc",
            "Observation/hgb-boundary",
            "Observation/hgb-newest",
            "Observation/wbc-2023-08");
    assertThat(report.leftOut())
        .containsExactlyInAnyOrder(
            new LeftOut(OBSERVATION_UNMATCHED, List.of("Observation/er", "Observation/heart-rate")),
            new LeftOut(
                cutBy(
                    "blood-tests",
                    "Observation",
                    "Observation records dated within P1Y of the newest"
                        + " (date: Observation.effective)"),
                List.of(
                    "Observation/cea-2023-01",
                    "Observation/hgb-2019",
                    "Observation/hgb-undated",
                    "Observation/plt-2021")));
    assertThat(report.complete()).isTrue();
  }

  /** Undated results are not recent: with nothing dated, the blood tests are missing. */
  @Test
  void undatedLabResultsAloneLeaveTheBloodTestsMissing() {
    List<IBaseResource> record = completeRecord();
    remove(record, "cbc|cbc-hgb");
    record.add(Records.labResult("hgb-undated", "718-7", null));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.missing()).extracting(Item::code).containsExactly("blood-tests");
    assertThat(report.leftOut())
        .extracting(LeftOut::resources)
        .contains(List.of("Observation/hgb-undated"));
  }

  /** Of eight clinical notes the five newest travel; the entered-in-error one takes no place. */
  @Test
  void onlyTheFiveNewestClinicalNotesSatisfyClinicalNotesAndThreeAreLeftOut() {
    List<IBaseResource> record = completeRecord();
    remove(record, "oncology-note");
    String[] types = {"11506-3", "11488-4", "34117-2", "51847-2"};
    for (int day = 1; day <= 8; day++) {
      record.add(
          Records.note("note-" + day, types[day % types.length], "2024-03-0" + day + "T09:00:00Z"));
    }
    DocumentReference enteredInError =
        Records.note("note-error", "11506-3", "2024-04-01T09:00:00Z");
    enteredInError.setStatus(DocumentReferenceStatus.ENTEREDINERROR);
    record.add(enteredInError);

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.item("clinical-notes").resources())
        .containsExactly(
            "DocumentReference/note-4",
            "DocumentReference/note-5",
            "DocumentReference/note-6",
            "DocumentReference/note-7",
            "DocumentReference/note-8");
    assertThat(report.leftOut())
        .contains(
            new LeftOut(
                cutBy(
                    "clinical-notes",
                    "DocumentReference",
                    "5 newest DocumentReference records (date: DocumentReference.date)"),
                List.of(
                    "DocumentReference/note-1",
                    "DocumentReference/note-2",
                    "DocumentReference/note-3")));
    assertThat(report.leftOut())
        .flatExtracting(LeftOut::resources)
        .doesNotContain("DocumentReference/discharge")
        .contains("DocumentReference/note-error");
    assertThat(report.item("discharge-summary").resources())
        .containsExactly("DocumentReference/discharge");
  }

  /**
   * Hospice care and a depression screening are procedures but not operations: they satisfy
   * nothing, call for no discharge summary, and the report says they were left out and why.
   */
  @Test
  void proceduresThatAreNoOperationAreLeftOutAndCallForNoDischargeSummary() {
    List<IBaseResource> record = completeRecord();
    remove(record, "lumpectomy|discharge");
    record.add(Records.procedure("hospice", "385763009", null, ProcedureStatus.COMPLETED));
    record.add(Records.procedure("phq", "171207006", DIAGNOSTIC, ProcedureStatus.COMPLETED));
    record.add(new Patient().setId("Patient/p1"));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isTrue();
    assertThat(report.item("surgical-procedures").status()).isEqualTo(Status.NOT_AVAILABLE);
    assertThat(report.item("discharge-summary").status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(report.leftOut())
        .contains(new LeftOut(PROCEDURE_UNMATCHED, List.of("Procedure/hospice", "Procedure/phq")));
    assertThat(report.leftOut())
        .flatExtracting(LeftOut::resources)
        .noneMatch(reference -> reference.startsWith("Patient/"));
  }

  @Test
  void aLumpectomyIsASurgicalProcedureAndCallsForTheDischargeSummary() {
    List<IBaseResource> record = completeRecord();
    remove(record, "lumpectomy|discharge");
    record.add(Records.procedure("lumpectomy", LUMPECTOMY, null, ProcedureStatus.COMPLETED));
    record.add(Records.procedure("hospice", "385763009", null, ProcedureStatus.COMPLETED));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.item("surgical-procedures").resources())
        .containsExactly("Procedure/lumpectomy");
    assertThat(report.missing()).extracting(Item::code).containsExactly("discharge-summary");
    assertThat(report.leftOut())
        .contains(new LeftOut(PROCEDURE_UNMATCHED, List.of("Procedure/hospice")));
  }

  @Test
  void aStoppedMedicationRequestIsLeftOutAndOnlyTheActiveOneIsCurrent() {
    List<IBaseResource> record = completeRecord();
    record.add(Records.medication("tamoxifen", "10324", MedicationRequestStatus.STOPPED));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.item("current-medications").resources())
        .containsExactly("MedicationRequest/letrozole");
    assertThat(report.leftOut())
        .contains(
            new LeftOut(
                "MedicationRequest: matches none of the mapping's rules for MedicationRequest"
                    + " (current-medications)",
                List.of("MedicationRequest/tamoxifen")));

    remove(record, "letrozole");
    Item medications = assessor.assess(record, true).item("current-medications");
    assertThat(medications.status()).isEqualTo(Status.NOT_AVAILABLE);
    assertThat(medications.rationale())
        .isEqualTo(TestFixtures.item("current-medications").rationale());
  }

  @Test
  void missingPathologyIsMissingAndSaysWhyItMatters() {
    List<IBaseResource> record = completeRecord();
    remove(record, "pathology");

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isFalse();
    assertThat(report.missing()).extracting(Item::code).containsExactly("pathology-report");
    Item pathology = report.item("pathology-report");
    assertThat(pathology.display()).isEqualTo("Pathology or biopsy report");
    assertThat(pathology.resources()).isEmpty();
    assertThat(pathology.rationale())
        .isEqualTo(TestFixtures.item("pathology-report").rationale())
        .startsWith("Without the pathology report the specialist cannot confirm the diagnosis");
  }

  @Test
  void surgeryWithoutDischargeSummaryMakesTheSummaryMissing() {
    List<IBaseResource> record = completeRecord();
    remove(record, "discharge");

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isFalse();
    assertThat(report.missing()).extracting(Item::code).containsExactly("discharge-summary");
    assertThat(report.item("discharge-summary").rationale()).contains("what the operation found");
  }

  @Test
  void withoutSurgeryNoDischargeSummaryIsDue() {
    List<IBaseResource> record = completeRecord();
    remove(record, "discharge|lumpectomy");
    record.add(Records.procedure("mammography", "71651007", DIAGNOSTIC, ProcedureStatus.COMPLETED));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isTrue();
    Item discharge = report.item("discharge-summary");
    assertThat(discharge.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(discharge.status().code()).isEqualTo("not-applicable");
    assertThat(discharge.rationale()).isNull();
  }

  @Test
  void plannedSurgeryDoesNotYetCallForADischargeSummary() {
    List<IBaseResource> record = completeRecord();
    remove(record, "discharge|lumpectomy");
    record.add(Records.procedure("mastectomy", "172043006", SURGICAL, ProcedureStatus.PREPARATION));

    CompletenessReport report = assessor.assess(record, true);
    assertThat(report.item("discharge-summary").status()).isEqualTo(Status.NOT_APPLICABLE);
    // The planned operation still travels: the specialist sees what surgery is proposed.
    assertThat(report.item("surgical-procedures").resources())
        .containsExactly("Procedure/mastectomy");
  }

  @Test
  void aDischargeSummaryWithoutSurgeryIsStillReportedPresent() {
    List<IBaseResource> record = completeRecord();
    remove(record, "lumpectomy");

    assertThat(assessor.assess(record, true).item("discharge-summary").status())
        .isEqualTo(Status.PRESENT);
  }

  @Test
  void noSpecimenIsNotAvailableAndTheReferralStaysComplete() {
    List<IBaseResource> record = completeRecord();
    remove(record, "tissue");

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isTrue();
    Item material = report.item("pathology-material");
    assertThat(material.status()).isEqualTo(Status.NOT_AVAILABLE);
    assertThat(material.rationale()).contains("re-examine the tissue");
  }

  @Test
  void withoutThePatientsQuestionsTheReferralIsCompleteAndSaysTheyAreNotAvailable() {
    CompletenessReport report = assessor.assess(completeRecord(), false);

    assertThat(report.complete()).isTrue();
    Item questions = report.item("patient-questions");
    assertThat(questions.status()).isEqualTo(Status.NOT_AVAILABLE);
    assertThat(questions.rationale()).contains("what the patient most needs to know");
  }

  @Test
  void anEmptyPullNamesEveryRequiredItemAndNothingConditional() {
    CompletenessReport report = assessor.assess(List.of(), true);

    assertThat(report.missing())
        .extracting(Item::code)
        .containsExactly(
            "diagnosis",
            "stage",
            "pathology-report",
            "imaging-report",
            "blood-tests",
            "treatment-plan");
    assertThat(report.items())
        .filteredOn(item -> item.status() == Status.NOT_AVAILABLE)
        .extracting(Item::code)
        .containsExactly(
            "imaging-study",
            "surgical-procedures",
            "current-medications",
            "clinical-notes",
            "pathology-material");
    assertThat(report.leftOut()).isEmpty();
  }

  @Test
  void theReportIsImmutable() {
    CompletenessReport report = assessor.assess(completeRecord(), true);

    assertThatThrownBy(() -> report.items().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> report.item("blood-tests").resources().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> report.leftOut().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aPulledResourceWithoutIdIsRefused() {
    DiagnosticReport report = Records.report("path", "22637-3");
    report.setId((String) null);

    assertThatThrownBy(() -> assessor.assess(List.of(report), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DiagnosticReport has no id");
  }

  @Test
  void anItemUnderAConditionTheMappingCannotDecideIsRefused() {
    List<PacketItemDefinition> items = new ArrayList<>(TestFixtures.ITEMS);
    items.add(
        new PacketItemDefinition(
            "chemo-record",
            "Chemotherapy record",
            "chemotherapy",
            "Why.",
            null,
            List.of("MedicationAdministration")));

    assertThatThrownBy(
            () -> new CompletenessAssessor(items, TestFixtures.CLASSIFIER, TestFixtures.CONDITIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chemo-record is required when 'chemotherapy'");
  }
}
