package health.secondlook.server.writeback;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import health.secondlook.server.fhir.FhirOperationProvider;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * {@code POST /fhir/Task/{id}/$retry-write-back}: an operator writes a referral's review back to
 * the referring EHR again, without a new review, e.g. after the EHR was down. The write-back is
 * queued ({@code write-back-queued}) and the Task returned; since every write is conditional, the
 * EHR ends with one copy of each resource however often this runs. Refused with {@code 412} and an
 * OperationOutcome when the referral has no review, or its write-back is already waiting or
 * running.
 */
@Component
class WriteBackOperations implements FhirOperationProvider {

  private final WriteBackQueue queue;

  WriteBackOperations(WriteBackQueue queue) {
    this.queue = queue;
  }

  @Operation(name = "$retry-write-back", type = Task.class)
  public Task retryWriteBack(@IdParam IdType taskId) {
    return queue.requeue(taskId);
  }
}
