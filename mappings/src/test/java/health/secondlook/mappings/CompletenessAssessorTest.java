package health.secondlook.mappings;

import static health.secondlook.mappings.Records.SNOMED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import health.secondlook.mappings.CompletenessReport.Item;
import health.secondlook.mappings.CompletenessReport.Status;
import health.secondlook.terminology.PacketItemDefinition;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan.CarePlanStatus;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Procedure.ProcedureStatus;
import org.junit.jupiter.api.Test;

class CompletenessAssessorTest {

  private static final String SURGICAL = "387713003";
  private static final String DIAGNOSTIC = "103693007";

  private final CompletenessAssessor assessor =
      new CompletenessAssessor(
          TestFixtures.ITEMS, TestFixtures.CLASSIFIER, TestFixtures.CONDITIONS);

  /** An operated breast cancer patient with every record a second opinion asks for. */
  private static List<IBaseResource> completeRecord() {
    return new ArrayList<>(
        List.of(
            Records.cancer("cancer", "254837009", "IIA"),
            Records.observation("stage-group", "21908-9"),
            Records.report("pathology", "22637-3"),
            Records.observation("er", "85337-4"),
            Records.report("mammogram-report", "24606-6"),
            Records.study("mammogram", "MG"),
            Records.report("cbc", "58410-2"),
            Records.observation("cbc-hgb", "718-7"),
            Records.procedure("lumpectomy", SURGICAL, ProcedureStatus.COMPLETED),
            Records.document("discharge", "18842-5"),
            Records.carePlan("plan", CarePlanStatus.ACTIVE),
            Records.specimen("tissue", SNOMED, "119376003"),
            Records.observation("heart-rate", "8867-4")));
  }

  @Test
  void aCompleteRecordIsCompleteWithEveryItemPresentAndItsResources() {
    CompletenessReport report = assessor.assess(completeRecord(), true);

    assertThat(report.complete()).isTrue();
    assertThat(report.missing()).isEmpty();
    assertThat(report.items())
        .extracting(Item::code, Item::status, Item::resources)
        .containsExactly(
            tuple(
                "diagnosis-stage",
                Status.PRESENT,
                List.of("Condition/cancer", "Observation/stage-group")),
            tuple("pathology-report", Status.PRESENT, List.of("DiagnosticReport/pathology")),
            tuple("imaging-report", Status.PRESENT, List.of("DiagnosticReport/mammogram-report")),
            tuple("imaging-study", Status.PRESENT, List.of("ImagingStudy/mammogram")),
            tuple(
                "blood-tests",
                Status.PRESENT,
                List.of("DiagnosticReport/cbc", "Observation/cbc-hgb")),
            tuple("discharge-summary", Status.PRESENT, List.of("DocumentReference/discharge")),
            tuple("treatment-plan", Status.PRESENT, List.of("CarePlan/plan")),
            tuple("pathology-material", Status.PRESENT, List.of("Specimen/tissue")),
            tuple("patient-questions", Status.PRESENT, List.of()));
    assertThat(report.items()).allSatisfy(item -> assertThat(item.rationale()).isNull());
  }

  @Test
  void missingPathologyIsMissingAndSaysWhyItMatters() {
    List<IBaseResource> record = completeRecord();
    record.removeIf(r -> r.getIdElement().getIdPart().equals("pathology"));

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
    record.removeIf(r -> r.getIdElement().getIdPart().equals("discharge"));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isFalse();
    assertThat(report.missing()).extracting(Item::code).containsExactly("discharge-summary");
    assertThat(report.item("discharge-summary").rationale()).contains("what the operation found");
  }

  @Test
  void withoutSurgeryNoDischargeSummaryIsDue() {
    List<IBaseResource> record = completeRecord();
    record.removeIf(r -> r.getIdElement().getIdPart().matches("discharge|lumpectomy"));
    record.add(Records.procedure("core-biopsy", DIAGNOSTIC, ProcedureStatus.COMPLETED));

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
    record.removeIf(r -> r.getIdElement().getIdPart().matches("discharge|lumpectomy"));
    record.add(Records.procedure("mastectomy", SURGICAL, ProcedureStatus.PREPARATION));

    assertThat(assessor.assess(record, true).item("discharge-summary").status())
        .isEqualTo(Status.NOT_APPLICABLE);
  }

  @Test
  void aDischargeSummaryWithoutSurgeryIsStillReportedPresent() {
    List<IBaseResource> record = completeRecord();
    record.removeIf(r -> r.getIdElement().getIdPart().equals("lumpectomy"));

    assertThat(assessor.assess(record, true).item("discharge-summary").status())
        .isEqualTo(Status.PRESENT);
  }

  @Test
  void noSpecimenIsNotAvailableAndTheReferralStaysComplete() {
    List<IBaseResource> record = completeRecord();
    record.removeIf(r -> r.getIdElement().getIdPart().equals("tissue"));

    CompletenessReport report = assessor.assess(record, true);

    assertThat(report.complete()).isTrue();
    Item material = report.item("pathology-material");
    assertThat(material.status()).isEqualTo(Status.NOT_AVAILABLE);
    assertThat(material.rationale()).contains("re-examine the tissue");
  }

  @Test
  void withoutThePatientsQuestionsTheReferralIsIncomplete() {
    CompletenessReport report = assessor.assess(completeRecord(), false);

    assertThat(report.missing()).extracting(Item::code).containsExactly("patient-questions");
  }

  @Test
  void anEmptyPullNamesEveryRequiredItemAndNothingConditional() {
    CompletenessReport report = assessor.assess(List.of(), true);

    assertThat(report.missing())
        .extracting(Item::code)
        .containsExactly(
            "diagnosis-stage",
            "pathology-report",
            "imaging-report",
            "blood-tests",
            "treatment-plan");
    assertThat(report.items())
        .filteredOn(item -> item.status() == Status.NOT_AVAILABLE)
        .extracting(Item::code)
        .containsExactly("imaging-study", "pathology-material");
  }

  @Test
  void theReportIsImmutable() {
    CompletenessReport report = assessor.assess(completeRecord(), true);

    assertThatThrownBy(() -> report.items().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> report.item("blood-tests").resources().clear())
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
