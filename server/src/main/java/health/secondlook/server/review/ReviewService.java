package health.secondlook.server.review;

import static org.hl7.fhir.r4.model.Task.TaskStatus.ACCEPTED;
import static org.hl7.fhir.r4.model.Task.TaskStatus.INPROGRESS;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.secondlook.server.audit.AuditTrail;
import health.secondlook.server.fhir.Outcomes;
import health.secondlook.server.fhir.TransactionEntries;
import health.secondlook.server.referral.PatientQuestions;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.signing.PacketSignatures;
import health.secondlook.server.signing.SignatureRole;
import java.util.Date;
import java.util.EnumSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Service;

/**
 * Takes the specialist's review of an accepted referral ({@code $submit-review}): turns it into a
 * signed feedback document, then, in one transaction that fails if the Task changed meanwhile,
 * stores the document, links it from {@code Task.output}, completes the Task and the
 * ServiceRequest, and queues the write-back to the referring EHR. A review is submitted once: a
 * second submission finds the Task completed and is refused.
 */
@Service
class ReviewService {

  private static final SystemRequestDetails SYSTEM = new SystemRequestDetails();

  private final AuditTrail audit;
  private final DaoRegistry daoRegistry;
  private final IFhirResourceDao<Task> tasks;
  private final IFhirSystemDao<Bundle, ?> system;
  private final ReviewParameters parameters;
  private final PacketSignatures signatures;

  ReviewService(
      DaoRegistry daoRegistry,
      IFhirSystemDao<Bundle, ?> system,
      ReviewParameters parameters,
      PacketSignatures signatures,
      AuditTrail audit) {
    this.audit = audit;
    this.daoRegistry = daoRegistry;
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.system = system;
    this.parameters = parameters;
    this.signatures = signatures;
  }

  /** The completed Task and the signed feedback document. */
  record Submitted(Task task, Bundle feedback) {}

  Submitted submit(IdType taskId, Parameters submitted) {
    Task task = referralTask(taskId);
    String id = "Task/" + task.getIdElement().getIdPart();
    if (!EnumSet.of(ACCEPTED, INPROGRESS).contains(task.getStatus())) {
      String message =
          switch (task.getStatus()) {
            case COMPLETED ->
                "%s is already completed with its review (%s); a review is submitted once."
                    .formatted(
                        id,
                        ReferralTasks.output(task, ReferralTasks.FEEDBACK_OUTPUT).orElse("none"));
            case REQUESTED, RECEIVED ->
                "%s cannot be completed: it was never accepted (status '%s'). Accept it first (update Task.status to 'accepted'), then submit the review."
                    .formatted(id, task.getStatus().toCode());
            default ->
                "%s is '%s'; a review can be submitted only for an accepted or in-progress referral."
                    .formatted(id, task.getStatus().toCode());
          };
      throw new UnprocessableEntityException(
          message, Outcomes.error(IssueType.BUSINESSRULE, message));
    }
    TaskWorkflow.packetNotWithSpecialist(task)
        .ifPresent(
            why -> {
              String message = "%s cannot be reviewed yet: %s".formatted(id, why);
              throw new UnprocessableEntityException(
                  message, Outcomes.error(IssueType.BUSINESSRULE, message));
            });
    ServiceRequest serviceRequest = read(ServiceRequest.class, task.getFocus().getReference());
    Review review = parameters.parse(submitted, questions(serviceRequest));

    Date now = new Date();
    Bundle feedback =
        FeedbackDocument.assemble(
            review, serviceRequest, read(Patient.class, task.getFor().getReference()), now);
    signatures.sign(
        feedback,
        SignatureRole.AUTHOR,
        new Reference().setType("Practitioner").setIdentifier(review.reviewer().copy()));

    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String feedbackUrl = TransactionEntries.post(transaction, feedback);
    task.setStatus(Task.TaskStatus.COMPLETED);
    task.setStatusReason(null);
    task.setLastModified(now);
    task.getExecutionPeriod().setEnd(now);
    ReferralTasks.setOutput(
        task,
        ReferralTasks.FEEDBACK_OUTPUT,
        new Reference(feedbackUrl).setDisplay("Second opinion: " + review.outcome().getDisplay()));
    ReferralTasks.setProgress(
        task,
        ReferralTasks.WRITE_BACK_QUEUED,
        "Review submitted (%s); waiting to be written back to EHR '%s'"
            .formatted(review.outcome().getDisplay(), ReferralTasks.sourceEhr(task)));
    TransactionEntries.putIfMatch(transaction, task);
    serviceRequest.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
    TransactionEntries.putIfMatch(transaction, serviceRequest);
    system.transaction(SYSTEM, transaction);
    audit.step("sign", id, ReferralTasks.recipient(task).orElse(null), null);

    Task completed = tasks.read(taskId.toVersionless(), SYSTEM);
    Bundle stored =
        read(Bundle.class, ReferralTasks.output(completed, ReferralTasks.FEEDBACK_OUTPUT).get());
    return new Submitted(completed, stored);
  }

  Task referralTask(IdType taskId) {
    Task task = tasks.read(taskId.toVersionless(), SYSTEM);
    if (!TaskWorkflow.isReferral(task)) {
      String message =
          "Task/%s is not a second-opinion referral made by SecondLook"
              .formatted(taskId.getIdPart());
      throw new UnprocessableEntityException(
          message, Outcomes.error(IssueType.NOTSUPPORTED, message));
    }
    return task;
  }

  /** The patient's questions; none (an empty response) when the referral carries none. */
  private QuestionnaireResponse questions(ServiceRequest serviceRequest) {
    return PatientQuestions.reference(serviceRequest)
        .map(r -> read(QuestionnaireResponse.class, r))
        .orElseGet(QuestionnaireResponse::new);
  }

  <T extends Resource> T read(Class<T> type, String reference) {
    IdType id = new IdType(reference).toVersionless();
    return type.cast(daoRegistry.getResourceDao(id.getResourceType()).read(id, SYSTEM));
  }
}
