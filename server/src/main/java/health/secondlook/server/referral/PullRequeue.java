package health.secondlook.server.referral;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import health.secondlook.server.fhir.Outcomes;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Queues a referral's records pull again: after the referrer added missing records, or after a
 * failed pull once the EHR is back. A pull already waiting or running is left alone.
 */
@Component
class PullRequeue {

  private static final Set<String> FINISHED_PULLS =
      Set.of(
          ReferralTasks.RECORDS_COMPLETE,
          ReferralTasks.RECORDS_INCOMPLETE,
          ReferralTasks.PROCEEDING_INCOMPLETE,
          ReferralTasks.PULL_FAILED,
          // the packet went out; records added since make a new packet, delivered in turn
          ReferralTasks.DELIVERED,
          ReferralTasks.DELIVERY_FAILED,
          ReferralTasks.AWAITING_INFORMATION);

  /** A referral the specialist has closed gets no new packet. */
  private static final Set<Task.TaskStatus> CLOSED =
      Set.of(Task.TaskStatus.COMPLETED, Task.TaskStatus.REJECTED, Task.TaskStatus.CANCELLED);

  private final IFhirResourceDao<Task> tasks;

  PullRequeue(DaoRegistry daoRegistry) {
    this.tasks = daoRegistry.getResourceDao(Task.class);
  }

  Task requeue(IdType taskId) {
    Task task = tasks.read(taskId.toVersionless(), new SystemRequestDetails());
    String progress = ReferralTasks.progress(task).orElse("none");
    if (CLOSED.contains(task.getStatus())) {
      refuse(
          "Task/%s is '%s': the referral is closed, so its records are not pulled again"
              .formatted(taskId.getIdPart(), task.getStatus().toCode()));
    }
    if (!FINISHED_PULLS.contains(progress)) {
      refuse(
          "Task/%s: it is '%s'; its records can be pulled again once the pull and the packet's delivery have finished"
              .formatted(taskId.getIdPart(), progress));
    }
    if (task.getStatus() == Task.TaskStatus.FAILED) {
      task.setStatus(Task.TaskStatus.REQUESTED);
      task.setStatusReason(null);
    }
    ReferralTasks.setProgress(task, ReferralTasks.PULL_QUEUED, "Pull queued again");
    tasks.update(task, new SystemRequestDetails());
    return tasks.read(taskId.toVersionless(), new SystemRequestDetails());
  }

  private static void refuse(String message) {
    throw new PreconditionFailedException(
        message, Outcomes.error(OperationOutcome.IssueType.BUSINESSRULE, message));
  }
}
