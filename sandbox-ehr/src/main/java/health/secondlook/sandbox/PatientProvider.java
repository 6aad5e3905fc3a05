package health.secondlook.sandbox;

import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import java.util.List;
import java.util.function.Function;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Patients: searched by {@code _id}, and {@code Patient/{id}/$everything}, which a pull can use to
 * take a whole record in one paged search.
 */
public class PatientProvider extends IdSearchProvider<Patient> {

  private final Function<String, List<Resource>> everything;

  /**
   * @param everything the patient's compartment plus what it references, for a patient id
   */
  public PatientProvider(Function<String, List<Resource>> everything) {
    super(Patient.class);
    this.everything = everything;
  }

  @Operation(name = "$everything", idempotent = true, bundleType = BundleTypeEnum.SEARCHSET)
  public IBundleProvider everything(@IdParam IdType id) {
    return new SimpleBundleProvider(everything.apply(id.getIdPart()));
  }
}
