package health.secondlook.server.writeback;

import health.secondlook.server.review.Review;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Everything a write-back says about one reviewed referral, read from SecondLook's store.
 *
 * @param referral SecondLook's referral Task (its identifier finds the EHR's copy)
 * @param serviceRequest the referral's ServiceRequest (its placer identifier names the referral)
 * @param feedback the stored, signed feedback document
 * @param feedbackJson the feedback document's JSON as signed: no {@code id}, no {@code meta}
 * @param review the structured review the feedback document carries
 * @param patientId the patient's id at the referring EHR
 */
record ReviewToWrite(
    Task referral,
    ServiceRequest serviceRequest,
    Bundle feedback,
    String feedbackJson,
    Review review,
    String patientId) {

  /** The feedback document's identifier value: unique per review, so it keys every write. */
  String reviewId() {
    return feedback.getIdentifier().getValue();
  }

  Identifier referralIdentifier() {
    return referral.getIdentifierFirstRep();
  }

  byte[] feedbackBytes() {
    return feedbackJson.getBytes(StandardCharsets.UTF_8);
  }
}
