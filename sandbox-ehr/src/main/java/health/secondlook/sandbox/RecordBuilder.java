package health.secondlook.sandbox;

import static health.secondlook.sandbox.Codes.CAREPLAN_CATEGORY;
import static health.secondlook.sandbox.Codes.LOINC;
import static health.secondlook.sandbox.Codes.MEDICATION_REQUEST_CATEGORY;
import static health.secondlook.sandbox.Codes.OBSERVATION_CATEGORY;
import static health.secondlook.sandbox.Codes.RXNORM;
import static health.secondlook.sandbox.Codes.SYNTHETIC_MRN_SYSTEM;
import static health.secondlook.sandbox.Codes.UCUM;
import static health.secondlook.sandbox.Codes.V2_0074;
import static health.secondlook.sandbox.Codes.V3_ACT_CODE;
import static health.secondlook.sandbox.Codes.concept;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds one synthetic patient's record: every resource gets the id {@code <patient id>-<suffix>},
 * points at the patient, and is dated a number of days before {@link #REFERENCE_DAY}, so the same
 * story always yields the same resources. {@link StagingAndPathology} and {@link
 * ImagingAndDocuments} add the rest.
 */
final class RecordBuilder {

  /** Every date counts back from this day, so the records never depend on the clock. */
  static final LocalDate REFERENCE_DAY = LocalDate.of(2025, 6, 2);

  private final String patientId;
  private final List<Resource> resources = new ArrayList<>();

  RecordBuilder(
      String patientId,
      String given,
      String family,
      AdministrativeGender gender,
      String birthDate,
      String mrn) {
    this.patientId = patientId;
    Patient patient = new Patient();
    patient.setId(patientId);
    patient.addIdentifier(new Identifier().setSystem(SYNTHETIC_MRN_SYSTEM).setValue(mrn));
    patient.addName(
        new HumanName().setFamily(family).addGiven(given).setText(given + " " + family));
    patient.setGender(gender);
    patient.setBirthDateElement(new DateType(birthDate));
    patient.addGeneralPractitioner(new Reference(SharedDirectory.ONCOLOGIST));
    patient.setManagingOrganization(new Reference(SharedDirectory.HOSPITAL));
    resources.add(patient);
  }

  /** Gives the resource its id in this record and adds it. */
  <T extends Resource> T add(String suffix, T resource) {
    resource.setId(patientId + "-" + suffix);
    resources.add(resource);
    return resource;
  }

  Reference patient() {
    return new Reference("Patient/" + patientId);
  }

  int size() {
    return resources.size();
  }

  SyntheticPatient build(String cancerType, List<String> missingItems) {
    return new SyntheticPatient(
        patientId, cancerType, missingItems.isEmpty(), missingItems, resources);
  }

  static Reference ref(Resource resource) {
    return new Reference(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
  }

  static DateTimeType day(int daysAgo) {
    return new DateTimeType(REFERENCE_DAY.minusDays(daysAgo).toString());
  }

  static InstantType instant(int daysAgo) {
    return new InstantType(REFERENCE_DAY.minusDays(daysAgo) + "T09:00:00Z");
  }

  static Attachment text(String title, String content, int daysAgo) {
    byte[] bytes = content.getBytes(UTF_8);
    return new Attachment()
        .setContentType("text/plain")
        .setData(bytes)
        .setSize(bytes.length)
        .setTitle(title)
        .setCreationElement(day(daysAgo));
  }

  /** An ambulatory ({@code AMB}) or inpatient ({@code IMP}) encounter at the sandbox hospital. */
  Encounter encounter(String suffix, String actCode, int fromDaysAgo, int toDaysAgo) {
    Encounter encounter = new Encounter();
    encounter.setStatus(Encounter.EncounterStatus.FINISHED);
    encounter.setClass_(
        new Coding(
            V3_ACT_CODE, actCode, actCode.equals("IMP") ? "inpatient encounter" : "ambulatory"));
    encounter.setSubject(patient());
    encounter.setPeriod(
        new Period().setStartElement(day(fromDaysAgo)).setEndElement(day(toDaysAgo)));
    encounter.setServiceProvider(new Reference(SharedDirectory.HOSPITAL));
    return add(suffix, encounter);
  }

  /** A laboratory result with a UCUM quantity. */
  Observation lab(
      String suffix, String loinc, String display, double value, String unit, int daysAgo) {
    return measurement(
        suffix,
        concept(OBSERVATION_CATEGORY, "laboratory", "Laboratory"),
        loinc,
        display,
        value,
        unit,
        daysAgo);
  }

  Observation vital(
      String suffix, String loinc, String display, double value, String unit, int daysAgo) {
    return measurement(
        suffix,
        concept(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs"),
        loinc,
        display,
        value,
        unit,
        daysAgo);
  }

  private Observation measurement(
      String suffix,
      CodeableConcept category,
      String loinc,
      String display,
      double value,
      String unit,
      int daysAgo) {
    Observation observation = add(suffix, new Observation());
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.addCategory(category);
    observation.setCode(concept(LOINC, loinc, display));
    observation.setSubject(patient());
    observation.setEffective(day(daysAgo));
    observation.setIssuedElement(instant(daysAgo));
    observation.setValue(
        new Quantity().setValue(value).setUnit(unit).setSystem(UCUM).setCode(unit));
    return observation;
  }

  /** A complete blood count (LOINC 58410-2) with haemoglobin, leukocytes and platelets. */
  DiagnosticReport bloodCount(
      String suffix, double hemoglobin, double leukocytes, double platelets, int daysAgo) {
    return labReport(
        suffix,
        concept(LOINC, "58410-2", "CBC panel - Blood by Automated count"),
        daysAgo,
        lab(
            suffix + "-hgb",
            "718-7",
            "Hemoglobin [Mass/volume] in Blood",
            hemoglobin,
            "g/dL",
            daysAgo),
        lab(
            suffix + "-wbc",
            "6690-2",
            "Leukocytes [#/volume] in Blood by Automated count",
            leukocytes,
            "10*3/uL",
            daysAgo),
        lab(
            suffix + "-plt",
            "777-3",
            "Platelets [#/volume] in Blood by Automated count",
            platelets,
            "10*3/uL",
            daysAgo));
  }

  DiagnosticReport labReport(
      String suffix, CodeableConcept code, int daysAgo, Observation... results) {
    DiagnosticReport report = add(suffix, new DiagnosticReport());
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.addCategory(concept(V2_0074, "LAB", "Laboratory"));
    report.setCode(code);
    report.setSubject(patient());
    report.setEffective(day(daysAgo));
    report.setIssuedElement(instant(daysAgo));
    report.addPerformer(new Reference(SharedDirectory.HOSPITAL));
    for (Observation result : results) {
      report.addResult(ref(result));
    }
    return report;
  }

  /** ECOG performance status (LOINC 89247-1) as the mCODE integer score. */
  Observation ecog(int score, int daysAgo) {
    Observation observation = add("ecog", new Observation());
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.addCategory(concept(OBSERVATION_CATEGORY, "survey", "Survey"));
    observation.setCode(concept(LOINC, "89247-1", "ECOG Performance Status score"));
    observation.setSubject(patient());
    observation.setEffective(day(daysAgo));
    observation.addPerformer(new Reference(SharedDirectory.ONCOLOGIST));
    observation.setValue(new IntegerType(score));
    return observation;
  }

  Procedure procedure(
      String suffix,
      CodeableConcept category,
      CodeableConcept code,
      CodeableConcept bodySite,
      Encounter encounter,
      Condition reason,
      String performer,
      int daysAgo) {
    Procedure procedure = add(suffix, new Procedure());
    procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
    procedure.setCategory(category);
    procedure.setCode(code);
    procedure.addBodySite(bodySite);
    procedure.setSubject(patient());
    procedure.setEncounter(ref(encounter));
    procedure.setPerformed(day(daysAgo));
    procedure.addPerformer().setActor(new Reference(performer));
    procedure.addReasonReference(ref(reason));
    return procedure;
  }

  /** The current treatment advice: an active assess-plan CarePlan addressing the cancer. */
  CarePlan carePlan(Condition cancer, String title, String description, int daysAgo) {
    CarePlan plan = add("care-plan", new CarePlan());
    plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
    plan.setIntent(CarePlan.CarePlanIntent.PLAN);
    plan.addCategory(concept(CAREPLAN_CATEGORY, "assess-plan", "Assessment and Plan of Treatment"));
    plan.setTitle(title);
    plan.setDescription(description);
    plan.setSubject(patient());
    plan.setPeriod(new Period().setStartElement(day(daysAgo)));
    plan.setCreatedElement(day(daysAgo));
    plan.setAuthor(new Reference(SharedDirectory.ONCOLOGIST));
    plan.addAddresses(ref(cancer));
    return plan;
  }

  MedicationRequest medication(
      String suffix, String rxnorm, String display, String dosage, Condition reason, int daysAgo) {
    MedicationRequest request = add(suffix, new MedicationRequest());
    request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    request.addCategory(concept(MEDICATION_REQUEST_CATEGORY, "outpatient", "Outpatient"));
    request.setMedication(concept(RXNORM, rxnorm, display));
    request.setSubject(patient());
    request.setAuthoredOnElement(day(daysAgo));
    request.setRequester(new Reference(SharedDirectory.ONCOLOGIST));
    request.addReasonReference(ref(reason));
    request.addDosageInstruction().setText(dosage);
    return request;
  }
}
