package health.secondlook.sandbox;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * Code systems and the few shared codes the synthetic records use. Only codes whose meaning is
 * certain are listed; where a display is uncertain the coding carries none and the concept's text
 * says what it is.
 */
final class Codes {

  static final String LOINC = "http://loinc.org";
  static final String SNOMED = "http://snomed.info/sct";
  static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  static final String UCUM = "http://unitsofmeasure.org";
  static final String AJCC = "http://cancerstaging.org";
  static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";
  static final String V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  static final String OBSERVATION_CATEGORY =
      "http://terminology.hl7.org/CodeSystem/observation-category";
  static final String CONDITION_CATEGORY =
      "http://terminology.hl7.org/CodeSystem/condition-category";
  static final String CONDITION_CLINICAL =
      "http://terminology.hl7.org/CodeSystem/condition-clinical";
  static final String CONDITION_VERIFICATION =
      "http://terminology.hl7.org/CodeSystem/condition-ver-status";
  static final String CAREPLAN_CATEGORY =
      "http://hl7.org/fhir/us/core/CodeSystem/careplan-category";
  static final String DOCUMENT_CATEGORY =
      "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category";
  static final String MEDICATION_REQUEST_CATEGORY =
      "http://terminology.hl7.org/CodeSystem/medicationrequest-category";
  static final String ENDPOINT_CONNECTION_TYPE =
      "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
  static final String ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type";

  /** DICOM study, series and instance identifiers are URIs of this system. */
  static final String DICOM_UID_SYSTEM = "urn:dicom:uid";

  static final String SYNTHETIC_MRN_SYSTEM = "https://sandbox-ehr.secondlook.example/mrn";
  static final String SYNTHETIC_ACCESSION_SYSTEM =
      "https://sandbox-ehr.secondlook.example/accession";

  private Codes() {}

  static CodeableConcept concept(String system, String code, String display) {
    return new CodeableConcept(new Coding(system, code, display));
  }

  /** A coded concept with human text, for codes whose display is left to the terminology. */
  static CodeableConcept concept(String system, String code, String display, String text) {
    return concept(system, code, display).setText(text);
  }
}
