package health.secondlook.server.packet;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import health.secondlook.server.fhir.FhirOperationProvider;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * {@code POST /fhir/Task/{id}/$proceed}: the referring team goes ahead with the records that are
 * there although some are missing. Allowed while the Task's {@code businessStatus} is {@code
 * records-incomplete}; sets it to {@code proceeding-incomplete}, makes the packet (its completeness
 * section names what is missing) and returns the Task with its {@code packet} output. Otherwise
 * {@code 412} with an OperationOutcome saying why.
 */
@Component
class PacketOperations implements FhirOperationProvider {

  private final PacketService packets;

  PacketOperations(PacketService packets) {
    this.packets = packets;
  }

  @Operation(name = "$proceed", type = Task.class)
  @Description(
      shortDefinition = "Go ahead with incomplete records",
      value =
          "Makes the packet of a referral whose records are incomplete; its completeness section"
              + " names what is missing. Returns the Task with its packet output.")
  public Task proceed(@IdParam IdType taskId) {
    return packets.proceed(taskId);
  }
}
