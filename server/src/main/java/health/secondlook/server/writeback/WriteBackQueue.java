package health.secondlook.server.writeback;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import health.secondlook.server.fhir.Outcomes;
import health.secondlook.server.referral.ProgressQueue;
import health.secondlook.server.referral.ReferralTasks;
import java.util.List;
import org.apache.camel.Handler;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * The durable queue of reviews waiting to be written back: Tasks whose business status is {@code
 * write-back-queued}. Claiming one is a version-checked update of the Task ("writing back to …"),
 * so a concurrent change to the referral wins and the review is picked up at the next poll; the
 * reviews this instance is writing are remembered so none is written twice at once. The status
 * stays {@code write-back-queued} until the write-back ends, so after a restart an interrupted
 * write-back is simply claimed again, and its conditional writes find what was already made.
 *
 * <p>An operator queues a review again with {@link #requeue} ({@code $retry-write-back}). Like the
 * pull queue, this assumes one SecondLook instance per database.
 */
@Component
class WriteBackQueue {

  private static final SystemRequestDetails SYSTEM = new SystemRequestDetails();

  private final IFhirResourceDao<Task> tasks;
  private final WriteBackProperties properties;
  private final WriteSlots slots = new WriteSlots();

  WriteBackQueue(DaoRegistry daoRegistry, WriteBackProperties properties) {
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.properties = properties;
  }

  @Handler
  List<String> claimWaiting() {
    return slots.fill(
        properties.concurrentWriteBacks(),
        max -> ProgressQueue.waiting(tasks, ReferralTasks.WRITE_BACK_QUEUED, max),
        t -> t.getIdElement().getIdPart(),
        t ->
            ProgressQueue.claim(
                tasks,
                t,
                ReferralTasks.WRITE_BACK_QUEUED,
                "Writing the review back to EHR '" + ReferralTasks.sourceEhr(t) + "'"));
  }

  /** The write-back of this Task has ended, one way or another. */
  void finish(String taskId) {
    slots.release(taskId);
  }

  /**
   * Queues the write-back of a referral's review again, e.g. after the EHR was down: allowed when
   * the referral has a review ({@code feedback} output) and its write-back is not already waiting
   * or running.
   *
   * @throws PreconditionFailedException (412) saying why not
   */
  Task requeue(IdType taskId) {
    Task task = tasks.read(taskId.toVersionless(), SYSTEM);
    String id = taskId.getIdPart();
    if (ReferralTasks.output(task, ReferralTasks.FEEDBACK_OUTPUT).isEmpty()) {
      throw refused(
          "Task/%s has no review to write back (no '%s' output); a review is submitted with $submit-review"
              .formatted(id, ReferralTasks.FEEDBACK_OUTPUT));
    }
    String progress = ReferralTasks.progress(task).orElse("none");
    if (ReferralTasks.WRITE_BACK_QUEUED.equals(progress) || slots.isRunning(id)) {
      throw refused(
          "Task/%s: its review is already being written back to EHR '%s' (%s)"
              .formatted(id, ReferralTasks.sourceEhr(task), task.getBusinessStatus().getText()));
    }
    task.setStatusReason(null);
    ReferralTasks.setProgress(
        task,
        ReferralTasks.WRITE_BACK_QUEUED,
        "Write-back to EHR '%s' queued again by an operator (was: %s)"
            .formatted(ReferralTasks.sourceEhr(task), progress));
    tasks.update(task, SYSTEM);
    return tasks.read(taskId.toVersionless(), SYSTEM);
  }

  private static PreconditionFailedException refused(String message) {
    return new PreconditionFailedException(
        message, Outcomes.error(OperationOutcome.IssueType.BUSINESSRULE, message));
  }
}
