package health.secondlook.server.referral;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;

/**
 * How SecondLook's own steps (pull, packet, delivery, write-back) record their outcome on a
 * referral Task that the specialist, the referrer or another step may change at the same time:
 * read, change, save only if nobody saved in between, otherwise read again and re-apply the change.
 * So neither the step's outcome nor the other change is lost.
 */
public final class TaskUpdates {

  private static final int ATTEMPTS = 10;

  private TaskUpdates() {}

  /**
   * @param change applies the step's outcome to the freshly read Task; returns false to leave it
   *     unsaved (e.g. the referral has moved on and the outcome no longer applies)
   * @return whether the change was saved
   * @throws ResourceVersionConflictException if the Task kept changing for every attempt
   */
  public static boolean apply(IFhirResourceDao<Task> tasks, String taskId, Predicate<Task> change) {
    for (int attempt = 1; ; attempt++) {
      Task task = tasks.read(new IdType("Task", taskId), new SystemRequestDetails());
      if (!change.test(task)) {
        return false;
      }
      try {
        tasks.update(task, new SystemRequestDetails());
        return true;
      } catch (ResourceVersionConflictException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
