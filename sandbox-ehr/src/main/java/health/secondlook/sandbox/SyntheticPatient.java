package health.secondlook.sandbox;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * One synthetic patient's record as the referring EHR holds it.
 *
 * @param id the Patient resource id, also the prefix of every other resource id in the record
 * @param cancerType {@code breast}, {@code lung} or {@code colorectal}
 * @param complete whether the record holds every packet item a second opinion needs
 * @param missingItems the SecondLook packet-item codes the record deliberately lacks (empty when
 *     complete)
 * @param resources the Patient and everything recorded about them; references to staff, the
 *     hospital and the PACS point into {@link SyntheticCancerPatients#directory()}
 */
public record SyntheticPatient(
    String id,
    String cancerType,
    boolean complete,
    List<String> missingItems,
    List<Resource> resources) {

  public SyntheticPatient {
    missingItems = List.copyOf(missingItems);
    resources = List.copyOf(resources);
    if (complete != missingItems.isEmpty()) {
      throw new IllegalArgumentException("a record is complete exactly when nothing is missing");
    }
  }
}
