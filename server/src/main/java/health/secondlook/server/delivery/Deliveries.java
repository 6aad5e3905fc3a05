package health.secondlook.server.delivery;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import health.secondlook.server.fhir.Outcomes;
import health.secondlook.server.referral.RecipientDirectory;
import health.secondlook.server.referral.ReferralTasks;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Decides which referrals' packets are delivered, and queues them: a new packet is queued as it is
 * attached to the referral ({@link #queueNewPacket}), when its recipient is configured with a
 * delivery mode; an operator queues a packet again with {@code $redeliver} ({@link #redeliver}).
 * Queued means {@code Task.businessStatus} {@code delivery-queued}, which the delivery route picks
 * up. {@code Task.status} is never changed here.
 */
@Component
public class Deliveries {

  /** Where the latest packet is the referral's newest news, so sending it again is harmless. */
  private static final Set<String> REDELIVERABLE =
      Set.of(
          ReferralTasks.RECORDS_COMPLETE,
          ReferralTasks.PROCEEDING_INCOMPLETE,
          ReferralTasks.DELIVERED,
          ReferralTasks.DELIVERY_FAILED);

  private static final Set<String> UNDER_WAY =
      Set.of(
          ReferralTasks.DELIVERY_QUEUED,
          ReferralTasks.DELIVERING,
          ReferralTasks.PULL_QUEUED,
          ReferralTasks.PULLING);

  private final RecipientDirectory recipients;
  private final IFhirResourceDao<Task> tasks;

  Deliveries(RecipientDirectory recipients, DaoRegistry daoRegistry) {
    this.recipients = recipients;
    this.tasks = daoRegistry.getResourceDao(Task.class);
  }

  /**
   * Called as a new packet is linked from {@code task}'s {@code packet} output: if the recipient
   * gets its packets delivered, the referral's progress becomes {@code delivery-queued}, saying to
   * whom and how. The caller saves the Task.
   */
  public void queueNewPacket(Task task) {
    target(task)
        .ifPresent(
            target -> {
              String before = task.getBusinessStatus().getText();
              String queued =
                  "Packet %s queued for delivery to %s by %s at %s"
                      .formatted(
                          ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT).orElse(""),
                          target.display(),
                          target.delivery().how(),
                          target.delivery().baseUrl());
              ReferralTasks.setProgress(
                  task,
                  ReferralTasks.DELIVERY_QUEUED,
                  before == null || before.isBlank() ? queued : before + ". " + queued);
            });
  }

  /** The recipient the referral's packets are delivered to, unless it has none or mode none. */
  Optional<DeliveryTarget> target(Task task) {
    return ReferralTasks.recipient(task)
        .flatMap(
            name ->
                recipients
                    .find(name)
                    .map(
                        r ->
                            new DeliveryTarget(
                                name, r.display() == null ? name : r.display(), r.delivery())))
        .filter(target -> target.delivery().delivers());
  }

  /**
   * {@code $redeliver}: queues the referral's latest packet for delivery again, e.g. after {@code
   * delivery-failed} once the recipient's system is back. Refused with 412 when there is nothing to
   * deliver (no packet, a recipient without a delivery mode, a referral that has moved on) and with
   * 409 while a delivery or a records pull is already under way.
   */
  Task redeliver(IdType taskId) {
    Task task = tasks.read(taskId.toVersionless(), new SystemRequestDetails());
    String id = "Task/" + taskId.getIdPart();
    String progress = ReferralTasks.progress(task).orElse("none");
    DeliveryTarget target =
        target(task)
            .orElseThrow(
                () ->
                    refused(
                        ReferralTasks.recipient(task)
                            .map(
                                name ->
                                    "%s is addressed to '%s', which has no delivery mode: its specialist reads the packet on SecondLook. Set secondlook.recipients.%s.delivery.mode to push or notify-and-pull to deliver it."
                                        .formatted(id, name, name))
                            .orElse(id + " has no recipient (Task.owner) to deliver to")));
    if (ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT).isEmpty()) {
      throw refused(
          "%s has no packet yet (its records are '%s'): a packet is made once the records are complete, or by $proceed"
              .formatted(id, progress));
    }
    if (UNDER_WAY.contains(progress)) {
      throw conflict(
          "%s is '%s': %s. Wait until it ends."
              .formatted(
                  id,
                  progress,
                  progress.startsWith("pull")
                      ? "its records are being pulled, and the new packet will be delivered when it is made"
                      : "its packet's delivery to " + target.display() + " is already under way"));
    }
    if (!REDELIVERABLE.contains(progress)) {
      throw refused(
          "%s has moved on to '%s'; only a referral whose latest news is its packet (%s) is delivered again"
              .formatted(
                  id, progress, String.join(", ", REDELIVERABLE.stream().sorted().toList())));
    }
    if (ReferralTasks.DELIVERY_FAILED.equals(progress)) {
      task.setStatusReason(null);
    }
    ReferralTasks.setProgress(
        task,
        ReferralTasks.DELIVERY_QUEUED,
        "Packet %s queued again ($redeliver) for delivery to %s by %s at %s"
            .formatted(
                ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT).orElseThrow(),
                target.display(),
                target.delivery().how(),
                target.delivery().baseUrl()));
    try {
      tasks.update(task, new SystemRequestDetails());
    } catch (ResourceVersionConflictException e) {
      throw conflict(id + " changed while its delivery was being queued; try again");
    }
    return tasks.read(taskId.toVersionless(), new SystemRequestDetails());
  }

  private static PreconditionFailedException refused(String message) {
    return new PreconditionFailedException(
        message, Outcomes.error(OperationOutcome.IssueType.BUSINESSRULE, message));
  }

  private static ResourceVersionConflictException conflict(String message) {
    return new ResourceVersionConflictException(
        message, Outcomes.error(OperationOutcome.IssueType.CONFLICT, message));
  }
}
