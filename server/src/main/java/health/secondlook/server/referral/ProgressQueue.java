package health.secondlook.server.referral;

import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.List;
import org.hl7.fhir.r4.model.Task;

/**
 * The referral Tasks as the durable queue of each step (pull, delivery, write-back): a step finds
 * the Tasks whose {@code businessStatus} says they wait for it, oldest first, and claims each by
 * moving it on with a version-checked update, so two workers never take the same one and nothing
 * waiting is lost across a restart.
 */
public final class ProgressQueue {

  private ProgressQueue() {}

  /** Up to {@code max} (at most 100) Tasks whose progress is {@code progress}, oldest first. */
  public static List<Task> waiting(IFhirResourceDao<Task> tasks, String progress, int max) {
    if (max <= 0) {
      return List.of();
    }
    SearchParameterMap map =
        SearchParameterMap.newSynchronous(
            "business-status", new TokenParam(REFERRAL_PROGRESS_SYSTEM, progress));
    int count = Math.min(max, 100);
    map.setSort(new SortSpec("_lastUpdated"));
    map.setCount(count);
    return tasks.search(map, new SystemRequestDetails()).getResources(0, count).stream()
        .map(Task.class::cast)
        .toList();
  }

  /**
   * Moves {@code task}, as found, to {@code progress}.
   *
   * @return false when someone changed the Task since it was found: it is theirs, not ours
   */
  public static boolean claim(
      IFhirResourceDao<Task> tasks, Task task, String progress, String text) {
    ReferralTasks.setProgress(task, progress, text);
    try {
      tasks.update(task, new SystemRequestDetails());
      return true;
    } catch (ResourceVersionConflictException e) {
      return false;
    }
  }
}
