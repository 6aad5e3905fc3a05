package health.secondlook.server.writeback;

import static health.secondlook.terminology.TerminologyContent.DIAGNOSIS_AGREEMENT_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.review.Review;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * The specialist's side, as their system would do it over the FHIR API: accepts a referral whose
 * packet is made, then submits a review with {@code $submit-review}, which queues its write-back.
 */
final class ReviewSubmissions {

  private final IGenericClient secondLook;

  ReviewSubmissions(IGenericClient secondLook) {
    this.secondLook = secondLook;
  }

  /** A review that touches every part the EHR should show: plan, trials, an answer, notes. */
  static Review review(String reviewerNumber) {
    return new Review(
        new Coding(REVIEW_OUTCOME_SYSTEM, "modifies-plan", "Modifies part of the plan"),
        new Coding(DIAGNOSIS_AGREEMENT_SYSTEM, "partly", "Partly agrees"),
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
   * Accepts the referral and submits {@code review} for it.
   *
   * @return the stored, signed feedback document
   */
  Bundle submit(String taskId, Review review) {
    Task task = secondLook.read().resource(Task.class).withId(taskId).execute();
    task.setStatus(Task.TaskStatus.ACCEPTED);
    secondLook.update().resource(task).execute();
    Parameters result =
        secondLook
            .operation()
            .onInstance("Task/" + taskId)
            .named("$submit-review")
            .withParameters(parameters(review))
            .execute();
    return (Bundle) result.getParameter("feedback").getResource();
  }

  static Parameters parameters(Review review) {
    Parameters parameters = new Parameters();
    parameters.addParameter("outcome", review.outcome().copy());
    parameters.addParameter(
        "diagnosisAgreement", new CodeType(review.diagnosisAgreement().getCode()));
    parameters.addParameter("recommendedPlan", new StringType(review.recommendedPlan()));
    for (Review.Answer answer : review.answers()) {
      Parameters.ParametersParameterComponent part = parameters.addParameter().setName("answer");
      part.addPart().setName("linkId").setValue(new StringType(answer.linkId()));
      part.addPart().setName("text").setValue(new StringType(answer.text()));
    }
    review.trials().forEach(t -> parameters.addParameter("trial", new StringType(t)));
    parameters.addParameter("summary", new StringType(review.summary()));
    parameters.addParameter("reviewer", review.reviewer().copy());
    return parameters;
  }
}
