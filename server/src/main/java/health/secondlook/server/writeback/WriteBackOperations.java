package health.secondlook.server.writeback;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import health.secondlook.server.fhir.FhirOperationProvider;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * An operator writes something to the referring EHR again, e.g. after the EHR was down; since every
 * write is conditional, the EHR ends with one copy of each resource however often this runs:
 *
 * <ul>
 *   <li>{@code POST /fhir/Task/{id}/$retry-write-back}: the referral's review, without a new
 *       review. The write-back is queued ({@code write-back-queued}) and the Task returned. Refused
 *       with {@code 412} and an OperationOutcome when the referral has no review, or its write-back
 *       is already waiting or running.
 *   <li>{@code POST /fhir/CommunicationRequest/{id}/$retry-write-back}: a specialist's request for
 *       more information. Its write is queued (tag {@code write-back-queued}) and the request
 *       returned; the Task is left alone. Refused with {@code 412} when it is not a request made by
 *       {@code $request-information}, or its write is already waiting or running.
 * </ul>
 */
@Component
class WriteBackOperations implements FhirOperationProvider {

  private final WriteBackQueue queue;
  private final InformationRequestQueue informationRequests;

  WriteBackOperations(WriteBackQueue queue, InformationRequestQueue informationRequests) {
    this.queue = queue;
    this.informationRequests = informationRequests;
  }

  @Operation(name = "$retry-write-back", type = Task.class)
  @Description(
      shortDefinition = "Write the review back again",
      value = "Queues the referral's review to be written to the referring EHR again.")
  public Task retryWriteBack(@IdParam IdType taskId) {
    return queue.requeue(taskId);
  }

  @Operation(name = "$retry-write-back", type = CommunicationRequest.class)
  @Description(
      shortDefinition = "Write the information request again",
      value = "Queues the specialist's request for more information to be written again.")
  public CommunicationRequest retryInformationRequestWriteBack(@IdParam IdType requestId) {
    return informationRequests.requeue(requestId);
  }
}
