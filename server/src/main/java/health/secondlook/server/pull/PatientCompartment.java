package health.secondlook.server.pull;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Nothing of another patient enters SecondLook: a resource in the Patient compartment must be in
 * this patient's. Shared resources (Practitioner, Organization, Endpoint...) are kept; attachments
 * over the EHR's size limit stay behind as references.
 */
final class PatientCompartment {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final FhirTerser TERSER = FHIR.newTerser();

  private PatientCompartment() {}

  static boolean belongs(Resource resource, String patientId, long maxBinaryBytes) {
    if (resource instanceof Binary binary) {
      return binary.getData() == null || binary.getData().length <= maxBinaryBytes;
    }
    if ("Patient".equals(resource.fhirType())) {
      return patientId.equals(resource.getIdPart());
    }
    RuntimeResourceDefinition definition = FHIR.getResourceDefinition(resource);
    if (definition.getSearchParamsForCompartmentName("Patient").isEmpty()) {
      return true;
    }
    return TERSER.isSourceInCompartmentForTarget(
        "Patient", resource, new IdType("Patient", patientId));
  }
}
