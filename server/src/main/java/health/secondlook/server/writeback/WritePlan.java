package health.secondlook.server.writeback;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * The writes of one review to the referring EHR, in the order they must be made when sent one by
 * one: the DocumentReference, then the summary that links to it, then the Task that links to both.
 * Resources refer to each other by their {@code urn:uuid:} full URLs until the EHR assigns ids.
 */
record WritePlan(List<Entry> entries) {

  WritePlan {
    entries = List.copyOf(entries);
  }

  /**
   * One resource to write.
   *
   * @param fullUrl the {@code urn:uuid:} other entries refer to it by
   * @param role what it is, for people: "the signed feedback document", "summary", "referral Task"
   * @param conditionalCreate for a create, the {@code If-None-Exist} query ({@code
   *     identifier=system|value}); {@code null} for the Task's conditional update
   * @param conditionalUpdate for the Task, the search of {@code PUT Task?…}; otherwise {@code null}
   */
  record Entry(
      String fullUrl,
      String role,
      Resource resource,
      String conditionalCreate,
      String conditionalUpdate) {

    boolean isCreate() {
      return conditionalCreate != null;
    }
  }
}
