package health.secondlook.sandbox;

import static health.secondlook.sandbox.Codes.ENDPOINT_CONNECTION_TYPE;
import static health.secondlook.sandbox.Codes.ORGANIZATION_TYPE;
import static health.secondlook.sandbox.Codes.concept;

import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The sandbox hospital's staff, organisation and PACS: resources every synthetic patient's record
 * points at (report performers, authors, requesters, the DICOMweb endpoint of imaging studies) but
 * that belong to no single patient.
 */
final class SharedDirectory {

  static final String HOSPITAL = "Organization/sandbox-hospital";
  static final String ONCOLOGIST = "Practitioner/sandbox-oncologist";
  static final String PATHOLOGIST = "Practitioner/sandbox-pathologist";
  static final String RADIOLOGIST = "Practitioner/sandbox-radiologist";
  static final String SURGEON = "Practitioner/sandbox-surgeon";
  static final String PULMONOLOGIST = "Practitioner/sandbox-pulmonologist";
  static final String PACS = "Endpoint/sandbox-pacs";

  private SharedDirectory() {}

  static List<Resource> resources() {
    Organization hospital = new Organization();
    hospital.setId(HOSPITAL);
    hospital.setActive(true);
    hospital.setName("Sandbox General Hospital (synthetic)");
    hospital.addType(concept(ORGANIZATION_TYPE, "prov", "Healthcare Provider"));

    Endpoint pacs = new Endpoint();
    pacs.setId(PACS);
    pacs.setStatus(Endpoint.EndpointStatus.ACTIVE);
    pacs.setName("Sandbox PACS (synthetic)");
    pacs.setConnectionType(new Coding(ENDPOINT_CONNECTION_TYPE, "dicom-wado-rs", "DICOM WADO-RS"));
    pacs.addPayloadType(new CodeableConcept().setText("DICOM WADO-RS"));
    pacs.addPayloadMimeType("application/dicom");
    pacs.setAddress("https://pacs.example.org/dicomweb");
    pacs.setManagingOrganization(new Reference(HOSPITAL));

    return List.of(
        hospital,
        pacs,
        practitioner(ONCOLOGIST, "Olivia", "Oncologist-Placeholder"),
        practitioner(PATHOLOGIST, "Paul", "Pathologist-Placeholder"),
        practitioner(RADIOLOGIST, "Rita", "Radiologist-Placeholder"),
        practitioner(SURGEON, "Sam", "Surgeon-Placeholder"),
        practitioner(PULMONOLOGIST, "Pia", "Pulmonologist-Placeholder"));
  }

  private static Practitioner practitioner(String id, String given, String family) {
    Practitioner practitioner = new Practitioner();
    practitioner.setId(id);
    practitioner.setActive(true);
    practitioner.addName(new HumanName().addPrefix("Dr.").addGiven(given).setFamily(family));
    return practitioner;
  }
}
