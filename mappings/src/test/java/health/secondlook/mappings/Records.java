package health.secondlook.mappings;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MedicationRequest;
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

  /** Where Synthea 3.x puts ImagingStudy.series.modality: the page of DICOM context group 29. */
  static final String DICOM_CID_29 =
      "http://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_29.html";

  /** DICOM Controlled Terminology by its OID, as some PACS-fed EHRs write it. */
  static final String DICOM_OID = "urn:oid:1.2.840.10008.2.16.4";

  static final String SNOMED_OID = "urn:oid:2.16.840.1.113883.6.96";
  static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  /** SNOMED CT category 'Surgical procedure'. */
  static final String SURGICAL = "387713003";

  /** SNOMED CT category 'Diagnostic procedure'. */
  static final String DIAGNOSTIC = "103693007";

  static final String LUMPECTOMY = "392021009";

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

  /** A laboratory report issued for a specimen taken on {@code effective} (FHIR dateTime). */
  static DiagnosticReport labReport(String id, String loinc, String effective) {
    DiagnosticReport report = report(id, loinc);
    report.setEffective(new DateTimeType(effective));
    return report;
  }

  /** A document dated (DocumentReference.date) at {@code instant}, e.g. a clinical note. */
  static DocumentReference note(String id, String loinc, String instant) {
    DocumentReference document = document(id, loinc);
    document.setDateElement(new InstantType(instant));
    return document;
  }

  /** A laboratory result taken on {@code effective} (FHIR dateTime); {@code null}: undated. */
  static Observation labResult(String id, String loinc, String effective) {
    Observation observation = observation(id, loinc);
    observation
        .addCategory()
        .addCoding(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", null));
    if (effective != null) {
      observation.setEffective(new DateTimeType(effective));
    }
    return observation;
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

  /** A study with no study-level modality, only one series coded under {@code system}. */
  static ImagingStudy seriesStudy(String id, String system, String modality) {
    ImagingStudy study = new ImagingStudy();
    study.setId("ImagingStudy/" + id);
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addSeries().setUid("2.25.1").setModality(new Coding(system, modality, null));
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

  /**
   * A Procedure coded {@code snomed}, with a SNOMED CT category when {@code categorySnomed} is
   * given (e.g. {@link #SURGICAL}).
   */
  static Procedure procedure(
      String id, String snomed, String categorySnomed, Procedure.ProcedureStatus status) {
    Procedure procedure = new Procedure();
    procedure.setId("Procedure/" + id);
    procedure.setStatus(status);
    if (categorySnomed != null) {
      procedure.setCategory(concept(SNOMED, categorySnomed));
    }
    procedure.setCode(concept(SNOMED, snomed));
    procedure.setSubject(PATIENT);
    return procedure;
  }

  static MedicationRequest medication(
      String id, String rxnorm, MedicationRequest.MedicationRequestStatus status) {
    MedicationRequest request = new MedicationRequest();
    request.setId("MedicationRequest/" + id);
    request.setStatus(status);
    request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    request.setMedication(concept(RXNORM, rxnorm));
    request.setSubject(PATIENT);
    return request;
  }
}
