package health.secondlook.server.writeback;

import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.review.FeedbackDocument;
import health.secondlook.server.review.Review;
import health.secondlook.server.signing.PacketSignatures;
import health.secondlook.server.signing.SignatureRole;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Puts a referral in the state {@code $submit-review} leaves it in: a signed feedback document
 * stored as a Bundle, linked as the Task's {@code feedback} output, the Task completed and its
 * write-back queued. Until that operation is on this branch, the write-back tests submit reviews
 * through here; later this becomes a call to {@code POST Task/{id}/$submit-review}.
 */
final class ReviewSubmissions {

  private static final SystemRequestDetails SYSTEM = new SystemRequestDetails();

  private final DaoRegistry daos;
  private final PacketSignatures signatures;

  ReviewSubmissions(DaoRegistry daos, PacketSignatures signatures) {
    this.daos = daos;
    this.signatures = signatures;
  }

  /** A review that touches every part the EHR should show: plan, trials, an answer, notes. */
  static Review review(String reviewerNumber) {
    return new Review(
        new Coding(REVIEW_OUTCOME_SYSTEM, "modifies-plan", "Modifies part of the plan"),
        "partly",
        "Add adjuvant radiotherapy to the breast after surgery; keep the chemotherapy as planned.",
        List.of(
            new Review.Answer(
                "own-questions",
                "Can I keep working during treatment?",
                "Most patients can work part-time during radiotherapy.")),
        List.of("NCT04567420 (hypofractionated radiotherapy after breast-conserving surgery)"),
        "The stage is confirmed; the nodal status argues for radiotherapy.",
        new Identifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue(reviewerNumber));
  }

  /**
   * Submits {@code review} for the referral whose records are complete.
   *
   * @return the stored feedback document
   */
  Bundle submit(String taskId, Review review) {
    IFhirResourceDao<Task> tasks = daos.getResourceDao(Task.class);
    Task task = tasks.read(new IdType("Task", taskId), SYSTEM);
    ServiceRequest serviceRequest = read(ServiceRequest.class, task.getFocus().getReference());
    Patient patient = read(Patient.class, task.getFor().getReference());

    Bundle feedback = FeedbackDocument.assemble(review, serviceRequest, patient, new Date());
    signatures.sign(
        feedback,
        SignatureRole.AUTHOR,
        new Reference().setType("Practitioner").setIdentifier(review.reviewer().copy()));
    String id = daos.getResourceDao(Bundle.class).create(feedback, SYSTEM).getId().getIdPart();

    task.setStatus(Task.TaskStatus.COMPLETED);
    ReferralTasks.setOutput(task, ReferralTasks.FEEDBACK_OUTPUT, new Reference("Bundle/" + id));
    ReferralTasks.setProgress(
        task, ReferralTasks.WRITE_BACK_QUEUED, "Review submitted; writing it back to the EHR");
    tasks.update(task, SYSTEM);
    return daos.getResourceDao(Bundle.class).read(new IdType("Bundle", id), SYSTEM);
  }

  private <T extends Resource> T read(Class<T> type, String reference) {
    IdType id = new IdType(reference).toVersionless();
    return type.cast(daos.getResourceDao(id.getResourceType()).read(id, SYSTEM));
  }
}
