package health.secondlook.server.delivery;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import health.secondlook.server.fhir.FhirOperationProvider;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * {@code POST /fhir/Task/{id}/$redeliver}: an operator delivers the referral's latest packet to its
 * recipient again, e.g. after {@code delivery-failed} once the recipient's system is back. Returns
 * the Task, now {@code delivery-queued}. {@code 412} with an OperationOutcome when there is nothing
 * to deliver, {@code 409} while a delivery or a records pull is under way.
 */
@Component
class DeliveryOperations implements FhirOperationProvider {

  private final Deliveries deliveries;

  DeliveryOperations(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  @Operation(name = "$redeliver", type = Task.class)
  @Description(
      shortDefinition = "Deliver the packet again",
      value = "Queues the referral's latest packet for delivery to its recipient again.")
  public Task redeliver(@IdParam IdType taskId) {
    return deliveries.redeliver(taskId);
  }
}
