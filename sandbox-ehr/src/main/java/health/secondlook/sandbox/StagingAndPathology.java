package health.secondlook.sandbox;

import static health.secondlook.sandbox.Codes.AJCC;
import static health.secondlook.sandbox.Codes.CONDITION_CATEGORY;
import static health.secondlook.sandbox.Codes.CONDITION_CLINICAL;
import static health.secondlook.sandbox.Codes.CONDITION_VERIFICATION;
import static health.secondlook.sandbox.Codes.LOINC;
import static health.secondlook.sandbox.Codes.OBSERVATION_CATEGORY;
import static health.secondlook.sandbox.Codes.SNOMED;
import static health.secondlook.sandbox.Codes.SYNTHETIC_ACCESSION_SYSTEM;
import static health.secondlook.sandbox.Codes.V2_0074;
import static health.secondlook.sandbox.Codes.concept;
import static health.secondlook.sandbox.RecordBuilder.day;
import static health.secondlook.sandbox.RecordBuilder.instant;
import static health.secondlook.sandbox.RecordBuilder.ref;
import static health.secondlook.sandbox.RecordBuilder.text;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;

/**
 * Adds the oncology core of a {@link RecordBuilder} record: the staged primary cancer (mCODE-style
 * Condition with TNM Observations), the tissue specimen, its receptor results and the pathology
 * report, the items a second-opinion reviewer reads first.
 */
final class StagingAndPathology {

  private StagingAndPathology() {}

  /** An AJCC clinical stage: the stage group and its T, N and M categories. */
  record Stage(String group, String t, String n, String m) {}

  /**
   * The primary cancer diagnosis with its AJCC clinical stage: the Condition's stage summary and
   * assessment, a stage group Observation (LOINC 21908-9) and its T, N and M Observations.
   */
  static Condition cancer(
      RecordBuilder record,
      CodeableConcept code,
      CodeableConcept bodySite,
      String category,
      Stage stage,
      int daysAgo) {
    Condition condition = record.add("cancer", new Condition());
    condition.setClinicalStatus(concept(CONDITION_CLINICAL, "active", "Active"));
    condition.setVerificationStatus(concept(CONDITION_VERIFICATION, "confirmed", "Confirmed"));
    condition.addCategory(
        concept(
            CONDITION_CATEGORY,
            category,
            category.equals("problem-list-item") ? "Problem List Item" : "Encounter Diagnosis"));
    condition.setCode(code);
    condition.addBodySite(bodySite);
    condition.setSubject(record.patient());
    condition.setOnset(day(daysAgo + 20));
    condition.setRecordedDateElement(day(daysAgo));
    condition.setRecorder(new Reference(SharedDirectory.ONCOLOGIST));
    condition.setAsserter(new Reference(SharedDirectory.ONCOLOGIST));

    Observation group =
        stageObservation(
            record,
            "stage-group",
            "21908-9",
            "Stage group.clinical Cancer",
            stage.group(),
            condition,
            daysAgo);
    group.addHasMember(
        ref(
            stageObservation(
                record,
                "stage-t",
                "21905-5",
                "Primary tumor.clinical [Class] Cancer",
                stage.t(),
                condition,
                daysAgo)));
    group.addHasMember(
        ref(
            stageObservation(
                record,
                "stage-n",
                "21906-3",
                "Regional lymph nodes.clinical [Class] Cancer",
                stage.n(),
                condition,
                daysAgo)));
    group.addHasMember(
        ref(
            stageObservation(
                record,
                "stage-m",
                "21907-1",
                "Distant metastases.clinical [Class] Cancer",
                stage.m(),
                condition,
                daysAgo)));
    condition
        .addStage()
        .setSummary(concept(AJCC, stage.group(), "Stage " + stage.group()))
        .addAssessment(ref(group));
    return condition;
  }

  private static Observation stageObservation(
      RecordBuilder record,
      String suffix,
      String loinc,
      String display,
      String value,
      Condition cancer,
      int daysAgo) {
    Observation observation = record.add(suffix, new Observation());
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.setCode(concept(LOINC, loinc, display));
    observation.setSubject(record.patient());
    observation.addFocus(ref(cancer));
    observation.setEffective(day(daysAgo));
    observation.setValue(concept(AJCC, value, value));
    return observation;
  }

  /**
   * A tissue specimen with an accession number, i.e. the blocks and slides a reviewer may ask for.
   */
  static Specimen tissue(
      RecordBuilder record,
      String suffix,
      CodeableConcept bodySite,
      String accession,
      String collector,
      int daysAgo) {
    Specimen specimen = record.add(suffix, new Specimen());
    specimen.setStatus(Specimen.SpecimenStatus.AVAILABLE);
    specimen.setAccessionIdentifier(
        new Identifier().setSystem(SYNTHETIC_ACCESSION_SYSTEM).setValue(accession));
    specimen.setType(concept(SNOMED, "119376003", "Tissue specimen"));
    specimen.setSubject(record.patient());
    specimen.setReceivedTimeElement(day(daysAgo));
    specimen
        .getCollection()
        .setCollector(new Reference(collector))
        .setCollected(day(daysAgo))
        .setBodySite(bodySite);
    return specimen;
  }

  /** A receptor or marker result on a specimen, valued with SNOMED Positive / Negative. */
  static Observation marker(
      RecordBuilder record,
      String suffix,
      String loinc,
      String display,
      boolean positive,
      Specimen specimen,
      int daysAgo) {
    Observation observation = record.add(suffix, new Observation());
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.addCategory(concept(OBSERVATION_CATEGORY, "laboratory", "Laboratory"));
    observation.setCode(concept(LOINC, loinc, display));
    observation.setSubject(record.patient());
    observation.setEffective(day(daysAgo));
    observation.setSpecimen(ref(specimen));
    observation.setValue(
        positive
            ? concept(SNOMED, "10828004", "Positive")
            : concept(SNOMED, "260385009", "Negative"));
    return observation;
  }

  /**
   * The pathology report (LOINC 22637-3, category SP) on a specimen, with its text as a plain-text
   * presented form and any marker results.
   */
  static DiagnosticReport pathologyReport(
      RecordBuilder record,
      Specimen specimen,
      CodeableConcept morphology,
      String text,
      int daysAgo,
      Observation... results) {
    DiagnosticReport report = record.add("pathology-report", new DiagnosticReport());
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.addCategory(concept(V2_0074, "SP", "Surgical Pathology"));
    report.setCode(concept(LOINC, "22637-3", "Pathology report final diagnosis Narrative"));
    report.setSubject(record.patient());
    report.setEffective(day(daysAgo + 2));
    report.setIssuedElement(instant(daysAgo));
    report.addPerformer(new Reference(SharedDirectory.HOSPITAL));
    report.addResultsInterpreter(new Reference(SharedDirectory.PATHOLOGIST));
    report.addSpecimen(ref(specimen));
    for (Observation result : results) {
      report.addResult(ref(result));
    }
    report.setConclusion(text);
    report.addConclusionCode(morphology);
    report.addPresentedForm(text("Pathology report", text, daysAgo));
    return report;
  }
}
