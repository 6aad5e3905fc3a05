package health.secondlook.mappings;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;

/** Hand-built resources of one synthetic patient, coded the way a US Core EHR codes them. */
final class Records {

  static final String LOINC = "http://loinc.org";
  static final String SNOMED = "http://snomed.info/sct";
  static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String V2_0487 = "http://terminology.hl7.org/CodeSystem/v2-0487";

  private static final Reference PATIENT = new Reference("Patient/p1");

  private Records() {}

  static CodeableConcept concept(String system, String code) {
    return new CodeableConcept(new Coding(system, code, null));
  }

  static DiagnosticReport report(String id, String loinc) {
    DiagnosticReport report = new DiagnosticReport();
    report.setId("DiagnosticReport/" + id);
    report.setStatus(DiagnosticReportStatus.FINAL);
    report.setCode(concept(LOINC, loinc));
    report.setSubject(PATIENT);
    return report;
  }

  static DocumentReference document(String id, String loinc) {
    DocumentReference document = new DocumentReference();
    document.setId("DocumentReference/" + id);
    document.setStatus(DocumentReferenceStatus.CURRENT);
    document.setType(concept(LOINC, loinc));
    document.setSubject(PATIENT);
    return document;
  }

  static Observation observation(String id, String loinc) {
    Observation observation = new Observation();
    observation.setId("Observation/" + id);
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.setCode(concept(LOINC, loinc));
    observation.setSubject(PATIENT);
    return observation;
  }

  /** A primary cancer Condition, with an AJCC stage summary when {@code stage} is given. */
  static Condition cancer(String id, String snomed, String stage) {
    Condition condition = new Condition();
    condition.setId("Condition/" + id);
    condition.setCode(concept(SNOMED, snomed));
    condition.setSubject(PATIENT);
    if (stage != null) {
      condition.addStage().setSummary(concept("http://cancerstaging.org", stage));
    }
    return condition;
  }

  static ImagingStudy study(String id, String modality) {
    ImagingStudy study = new ImagingStudy();
    study.setId("ImagingStudy/" + id);
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(new Coding(DICOM, modality, null));
    study.setSubject(PATIENT);
    return study;
  }

  static CarePlan carePlan(String id, CarePlan.CarePlanStatus status) {
    CarePlan plan = new CarePlan();
    plan.setId("CarePlan/" + id);
    plan.setStatus(status);
    plan.setIntent(CarePlan.CarePlanIntent.PLAN);
    plan.setSubject(PATIENT);
    return plan;
  }

  static Specimen specimen(String id, String system, String type) {
    Specimen specimen = new Specimen();
    specimen.setId("Specimen/" + id);
    specimen.setType(concept(system, type));
    specimen.setSubject(PATIENT);
    return specimen;
  }

  static Procedure procedure(String id, String categorySnomed, Procedure.ProcedureStatus status) {
    Procedure procedure = new Procedure();
    procedure.setId("Procedure/" + id);
    procedure.setStatus(status);
    procedure.setCategory(concept(SNOMED, categorySnomed));
    procedure.setCode(concept(SNOMED, "392021009"));
    procedure.setSubject(PATIENT);
    return procedure;
  }
}
