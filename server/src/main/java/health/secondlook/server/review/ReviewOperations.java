package health.secondlook.server.review;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import health.secondlook.server.fhir.DocumentedOperation;
import health.secondlook.server.fhir.FhirOperationProvider;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * The specialist's operations on a referral Task, besides plain status updates:
 *
 * <ul>
 *   <li>{@code POST /fhir/Task/{id}/$submit-review}: the review; returns the completed Task and the
 *       signed feedback document ({@code task}, {@code feedback});
 *   <li>{@code POST /fhir/Task/{id}/$request-information}: ask the referrer for named missing
 *       packet items; returns the Task, now awaiting information.
 * </ul>
 */
@Component
class ReviewOperations implements FhirOperationProvider {

  private final ReviewService reviews;
  private final InformationRequests informationRequests;

  ReviewOperations(ReviewService reviews, InformationRequests informationRequests) {
    this.reviews = reviews;
    this.informationRequests = informationRequests;
  }

  @Override
  public List<DocumentedOperation> documentedOperations() {
    return List.of(ReviewInputs.SUBMIT_REVIEW, ReviewInputs.REQUEST_INFORMATION);
  }

  @Operation(name = "$submit-review", type = Task.class)
  @Description(
      shortDefinition = "Submit the specialist's review",
      value =
          "Completes an accepted or in-progress referral with the review; returns the completed"
              + " Task and the signed feedback document as the parameters task and feedback.")
  public Parameters submitReview(@IdParam IdType taskId, @ResourceParam Parameters parameters) {
    ReviewService.Submitted submitted = reviews.submit(taskId, parameters);
    Parameters result = new Parameters();
    result.addParameter().setName("task").setResource(submitted.task());
    result.addParameter().setName("feedback").setResource(submitted.feedback());
    return result;
  }

  @Operation(name = "$request-information", type = Task.class)
  @Description(
      shortDefinition = "Ask the referrer for more information",
      value =
          "Asks the referrer for named missing packet items; returns the Task, now awaiting"
              + " information.")
  public Task requestInformation(@IdParam IdType taskId, @ResourceParam Parameters parameters) {
    return informationRequests.request(taskId, parameters);
  }
}
