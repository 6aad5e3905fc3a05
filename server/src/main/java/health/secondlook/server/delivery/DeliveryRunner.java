package health.secondlook.server.delivery;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.server.audit.AuditTrail;
import health.secondlook.server.ehr.EhrFailures;
import health.secondlook.server.packet.SecondLookBaseUrl;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.referral.TaskUpdates;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Delivers one referral's packet for the {@code deliver-packet} route: builds what the recipient's
 * mode asks for ({@link DeliveryPayloads}), sends it through the retrying {@code recipient-request}
 * route, and records the outcome on the Task: {@code delivered} (where, when, how; a Task only
 * {@code requested} becomes {@code received}, since the recipient's system has it) or {@code
 * delivery-failed} with a {@code statusReason} naming the recipient, the request and the error.
 */
@Component
class DeliveryRunner {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRunner.class);
  private static final SystemRequestDetails SYSTEM = new SystemRequestDetails();

  /** Tries at recording an outcome when someone else changes the Task at the same moment. */
  private final AuditTrail audit;

  private final IFhirResourceDao<Task> tasks;

  private final IFhirResourceDao<Bundle> bundles;
  private final IFhirResourceDao<ServiceRequest> serviceRequests;
  private final Deliveries deliveries;
  private final DeliveryQueue queue;
  private final ProducerTemplate producer;
  private final SecondLookBaseUrl baseUrl;

  DeliveryRunner(
      DaoRegistry daoRegistry,
      Deliveries deliveries,
      DeliveryQueue queue,
      ProducerTemplate producer,
      SecondLookBaseUrl baseUrl,
      AuditTrail audit) {
    this.audit = audit;
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.bundles = daoRegistry.getResourceDao(Bundle.class);
    this.serviceRequests = daoRegistry.getResourceDao(ServiceRequest.class);
    this.deliveries = deliveries;
    this.queue = queue;
    this.producer = producer;
    this.baseUrl = baseUrl;
  }

  @Handler
  void run(@Header(DeliveryRoutes.TASK_ID_HEADER) String taskId) {
    try {
      Task task = read(taskId);
      if (!ReferralTasks.DELIVERING.equals(ReferralTasks.progress(task).orElse(""))) {
        return; // changed since it was claimed: nothing of ours to deliver
      }
      DeliveryTarget target =
          deliveries
              .target(task)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the recipient '%s' is no longer configured with a delivery mode"
                              .formatted(ReferralTasks.recipient(task).orElse("none"))));
      String packetReference =
          ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT)
              .orElseThrow(() -> new IllegalStateException("the referral has no packet"));
      Bundle packet = bundles.read(new IdType(packetReference).toVersionless(), SYSTEM);
      ServiceRequest serviceRequest =
          serviceRequests.read(new IdType(task.getFocus().getReference()).toVersionless(), SYSTEM);
      String base = baseUrl.get().replaceAll("/+$", "");
      RecipientRequest request =
          DeliveryPayloads.request(task, serviceRequest, packet, target, base);

      String landed = send(request);
      String text =
          "Packet %s delivered to %s at %s on %s by %s: %s"
              .formatted(
                  packetReference,
                  target.display(),
                  target.delivery().baseUrl(),
                  Instant.now().truncatedTo(ChronoUnit.SECONDS),
                  target.delivery().how(),
                  landed);
      record(
          taskId,
          packetReference,
          t -> {
            ReferralTasks.setProgress(t, ReferralTasks.DELIVERED, text);
            if (t.getStatus() == Task.TaskStatus.REQUESTED) {
              t.setStatus(Task.TaskStatus.RECEIVED);
            }
          });
      log.info("Task/{}: {}", taskId, text);
      audit.step("deliver", "Task/" + taskId, target.name(), null);
    } finally {
      queue.finished(taskId);
    }
  }

  /** Marks the delivery failed, with a reason a person can act on. */
  @Handler
  void failed(@Header(DeliveryRoutes.TASK_ID_HEADER) String taskId, Exchange exchange) {
    queue.finished(taskId);
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    if (exchange.getContext().isStopping()) {
      // Shutting down is not the recipient's fault: the Task stays "delivering" and is delivered
      // again at the next start, which the recipient recognises as the same delivery.
      log.info("Delivery of Task/{} interrupted by shutdown; it resumes at the next start", taskId);
      return;
    }
    Task task = read(taskId);
    Optional<DeliveryTarget> target = deliveries.target(task);
    String reason =
        "The packet %s could not be delivered to %s: %s. Check that the recipient's system is reachable and accepts SecondLook's requests (secondlook.recipients.%s.delivery.*), then run Task/%s/$redeliver."
            .formatted(
                ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT).orElse("(none)"),
                target
                    .map(t -> t.display() + " ('" + t.name() + "') at " + t.delivery().baseUrl())
                    .orElse("recipient '" + ReferralTasks.recipient(task).orElse("none") + "'"),
                explain(failure),
                ReferralTasks.recipient(task).orElse("<name>"),
                taskId);
    log.warn("Delivery of Task/{} failed: {}", taskId, reason, failure);
    audit.step("deliver", "Task/" + taskId, ReferralTasks.recipient(task).orElse(null), reason);
    record(
        taskId,
        null,
        t -> {
          t.getStatusReason().setText(reason);
          ReferralTasks.setProgress(t, ReferralTasks.DELIVERY_FAILED, reason);
        });
  }

  private String send(RecipientRequest request) {
    try {
      return producer.requestBody(DeliveryRoutes.REQUEST, request, String.class);
    } catch (CamelExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      int attempts =
          EhrFailures.isRetryable(cause) ? request.target().delivery().limits().maxAttempts() : 1;
      throw new DeliveryFailedException(request, cause, attempts);
    }
  }

  /**
   * Applies {@code change} to the Task while it is still being delivered (and, if given, still has
   * that packet), reading it again if someone else changed it meanwhile. Anything else means the
   * referral moved on (a new pull, a new packet queued): its outcome is not this delivery's.
   */
  private void record(String taskId, String packetReference, Consumer<Task> change) {
    boolean recorded =
        TaskUpdates.apply(
            tasks,
            taskId,
            task -> {
              boolean ours =
                  ReferralTasks.DELIVERING.equals(ReferralTasks.progress(task).orElse(""))
                      && (packetReference == null
                          || packetReference.equals(
                              ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT)
                                  .orElse(null)));
              if (ours) {
                change.accept(task);
              }
              return ours;
            });
    if (!recorded) {
      log.info("Task/{} moved on during its delivery; its outcome is not recorded", taskId);
    }
  }

  private Task read(String taskId) {
    return tasks.read(new IdType("Task", taskId), SYSTEM);
  }

  private static String explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DeliveryFailedException) {
        return t.getMessage();
      }
    }
    return EhrFailures.describe(failure);
  }
}
