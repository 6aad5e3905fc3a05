package health.secondlook.server.writeback;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.mappings.WriteBack;
import health.secondlook.server.audit.AuditTrail;
import health.secondlook.server.ehr.EhrEndpoint;
import health.secondlook.server.ehr.EhrFailures;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.referral.TaskUpdates;
import health.secondlook.server.review.FeedbackDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes one reviewed referral back into its referring EHR for the {@code write-back} route: reads
 * the signed feedback document and the review it carries, builds what the EHR's mapping asks for
 * ({@link WriteBackContent}), sends it as separate conditional writes in order (each taking the ids
 * the EHR gave the ones before) or as one transaction, and records on the referral Task what was
 * written where ({@code written-back}) or, after the retries, why not ({@code write-back-failed},
 * with {@code Task.statusReason}).
 */
@Component
class WriteBackRunner {

  private static final Logger log = LoggerFactory.getLogger(WriteBackRunner.class);
  private static final SystemRequestDetails SYSTEM = new SystemRequestDetails();

  private final AuditTrail audit;
  private final DaoRegistry daoRegistry;
  private final IFhirResourceDao<Task> tasks;
  private final WriteBackTargets targets;
  private final ProducerTemplate producer;
  private final WriteBackQueue queue;
  private final FhirContext fhirContext = FhirContext.forR4Cached();

  WriteBackRunner(
      DaoRegistry daoRegistry,
      WriteBackTargets targets,
      ProducerTemplate producer,
      WriteBackQueue queue,
      AuditTrail audit) {
    this.audit = audit;
    this.daoRegistry = daoRegistry;
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.targets = targets;
    this.producer = producer;
    this.queue = queue;
  }

  @Handler
  void run(@Header(WriteBackRoutes.TASK_ID_HEADER) String taskId) {
    Task task = read(taskId);
    WriteBackTargets.Target target = targets.of(task);
    String ehrName = target.name();
    EhrEndpoint ehr = target.ehr();
    WriteBack mapping = target.mapping();
    ReviewToWrite review = reviewOf(task);
    WritePlan plan = WriteBackContent.plan(review, mapping);

    long started = System.nanoTime();
    List<Written> written =
        mapping.requests() == WriteBack.Requests.TRANSACTION
            ? transaction(ehrName, plan)
            : separately(ehrName, plan);
    String summary = describe(plan, written);
    update(
        taskId,
        done -> {
          done.setStatusReason(null);
          ReferralTasks.setProgress(
              done,
              ReferralTasks.WRITTEN_BACK,
              "Written back to EHR '%s' (%s): %s".formatted(ehrName, ehr.baseUrl(), summary));
        });
    queue.finish(taskId);
    audit.step("write-back", "Task/" + taskId, ehrName, null);
    log.info(
        "Write-back of Task/{} to EHR '{}' in {} ms: {}",
        taskId,
        ehrName,
        (System.nanoTime() - started) / 1_000_000,
        summary);
  }

  /**
   * Marks the write-back failed, with a reason a person can act on. The claim is released only
   * after the Task says so, or the next poll would take the still-queued Task up again.
   */
  @Handler
  void failed(@Header(WriteBackRoutes.TASK_ID_HEADER) String taskId, Exchange exchange) {
    try {
      recordFailure(taskId, exchange);
    } finally {
      queue.finish(taskId);
    }
  }

  private void recordFailure(String taskId, Exchange exchange) {
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    if (exchange.getContext().isStopping()) {
      // Not the EHR's fault: the Task stays queued and the write-back resumes at the next start.
      log.info(
          "Write-back of Task/{} interrupted by shutdown; it resumes at the next start", taskId);
      return;
    }
    Task task = read(taskId);
    String where = targets.describe(task);
    String reason =
        "The review could not be written back to %s: %s. %s then run Task/%s/$retry-write-back."
            .formatted(
                where,
                explain(failure),
                failure instanceof WriteBackImpossibleException
                    ? "Fix that,"
                    : "Check that the EHR is reachable and accepts SecondLook's writes,",
                taskId);
    log.warn("Write-back of Task/{} failed: {}", taskId, reason, failure);
    audit.step("write-back", "Task/" + taskId, ReferralTasks.sourceEhr(task), reason);
    update(
        taskId,
        failedTask -> {
          failedTask.getStatusReason().setText(reason);
          ReferralTasks.setProgress(failedTask, ReferralTasks.WRITE_BACK_FAILED, reason);
        });
  }

  private ReviewToWrite reviewOf(Task task) {
    String feedbackReference =
        ReferralTasks.output(task, ReferralTasks.FEEDBACK_OUTPUT)
            .orElseThrow(
                () ->
                    new WriteBackImpossibleException(
                        "Task/%s has no '%s' output, so there is no review to write back"
                            .formatted(
                                task.getIdElement().getIdPart(), ReferralTasks.FEEDBACK_OUTPUT)));
    Bundle feedback = read(Bundle.class, feedbackReference);
    ServiceRequest serviceRequest = read(ServiceRequest.class, task.getFocus().getReference());
    return new ReviewToWrite(
        task,
        serviceRequest,
        feedback,
        asSigned(feedback),
        FeedbackDocument.review(feedback),
        ReferralTasks.sourcePatient(task));
  }

  /** The Bundle as it was signed: the signature covers neither {@code id} nor {@code meta}. */
  private String asSigned(Bundle stored) {
    Bundle copy = stored.copy();
    copy.setIdElement(null);
    copy.setMeta(null);
    return fhirContext.newJsonParser().encodeResourceToString(copy);
  }

  /** In order, each conditional; later resources refer to the EHR's ids of earlier ones. */
  private List<Written> separately(String ehr, WritePlan plan) {
    Map<String, String> assigned = new HashMap<>();
    List<Written> written = new ArrayList<>();
    for (WritePlan.Entry entry : plan.entries()) {
      Resource resource = entry.resource().copy();
      for (Reference reference :
          fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
        if (reference.hasReference() && assigned.containsKey(reference.getReference())) {
          reference.setReference(assigned.get(reference.getReference()));
        }
      }
      EhrWrite write =
          entry.isCreate()
              ? new EhrWrite(ehr, EhrWrite.Kind.CREATE, resource, entry.conditionalCreate())
              : new EhrWrite(ehr, EhrWrite.Kind.UPDATE, resource, entry.conditionalUpdate());
      Written result = send(write).get(0);
      assigned.put(entry.fullUrl(), result.reference());
      written.add(result);
    }
    return written;
  }

  private List<Written> transaction(String ehr, WritePlan plan) {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (WritePlan.Entry entry : plan.entries()) {
      Bundle.BundleEntryRequestComponent request =
          transaction
              .addEntry()
              .setFullUrl(entry.fullUrl())
              .setResource(entry.resource())
              .getRequest();
      String type = entry.resource().fhirType();
      if (entry.isCreate()) {
        request
            .setMethod(Bundle.HTTPVerb.POST)
            .setUrl(type)
            .setIfNoneExist(entry.conditionalCreate());
      } else {
        request.setMethod(Bundle.HTTPVerb.PUT).setUrl(type + "?" + entry.conditionalUpdate());
      }
    }
    List<Written> written = send(new EhrWrite(ehr, EhrWrite.Kind.TRANSACTION, transaction, null));
    if (written.size() != plan.entries().size()) {
      throw new IllegalStateException(
          "EHR '%s' answered a transaction of %d entries with %d"
              .formatted(ehr, plan.entries().size(), written.size()));
    }
    return written;
  }

  @SuppressWarnings("unchecked")
  private List<Written> send(EhrWrite write) {
    try {
      return producer.requestBody(WriteBackRoutes.WRITE, write, List.class);
    } catch (CamelExecutionException e) {
      throw new WriteRequestFailedException(write, e.getCause() != null ? e.getCause() : e);
    }
  }

  /** E.g. "DocumentReference/12 (the signed feedback document, made), DiagnosticReport/13 (…)". */
  private static String describe(WritePlan plan, List<Written> written) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      WritePlan.Entry entry = plan.entries().get(i);
      Written result = written.get(i);
      String what =
          entry.isCreate()
              ? (result.created() ? "made" : "already there")
              : (result.created() ? "made, completed" : "updated, completed");
      parts.add("%s (%s, %s)".formatted(result.reference(), entry.role(), what));
    }
    return String.join(", ", parts);
  }

  /** Read-modify-write, again on a concurrent change, so the outcome is never lost. */
  private void update(String taskId, Consumer<Task> change) {
    TaskUpdates.apply(
        tasks,
        taskId,
        task -> {
          change.accept(task);
          return true;
        });
  }

  private Task read(String taskId) {
    return tasks.read(new IdType("Task", taskId), SYSTEM);
  }

  private <T extends Resource> T read(Class<T> type, String reference) {
    IdType id = new IdType(reference).toVersionless();
    return type.cast(daoRegistry.getResourceDao(id.getResourceType()).read(id, SYSTEM));
  }

  private static String explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof WriteRequestFailedException || t instanceof WriteBackImpossibleException) {
        return t.getMessage();
      }
    }
    return EhrFailures.describe(failure);
  }

  /** Nothing can be written until a person changes something (configuration, mapping). */
  static final class WriteBackImpossibleException extends RuntimeException {
    WriteBackImpossibleException(String message) {
      super(message);
    }
  }
}
