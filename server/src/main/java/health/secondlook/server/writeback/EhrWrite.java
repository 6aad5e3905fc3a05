package health.secondlook.server.writeback;

import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * One HTTP write to the referring EHR during a write-back: a conditional create, the Task's
 * conditional update, or a transaction of all of them. Each is safe to send again after a lost
 * response: a create matches what the first attempt made, the update replaces it with the same.
 *
 * @param ehr the configured EHR name
 * @param kind create, update or transaction
 * @param resource what is sent: the resource, or the transaction Bundle
 * @param condition the create's {@code If-None-Exist} query, or the update's search (after {@code
 *     Task?}); {@code null} for a transaction
 */
record EhrWrite(String ehr, Kind kind, Resource resource, String condition) {

  enum Kind {
    CREATE,
    UPDATE,
    TRANSACTION
  }

  /** For people: the request as an operator would recognise it in the EHR's logs. */
  @Override
  public String toString() {
    return switch (kind) {
          case CREATE -> "POST " + resource.fhirType() + " (If-None-Exist: " + condition + ")";
          case UPDATE -> "PUT " + resource.fhirType() + "?" + condition;
          case TRANSACTION ->
              "POST transaction of "
                  + ((Bundle) resource)
                      .getEntry().stream()
                          .map(e -> e.getResource().fhirType())
                          .collect(Collectors.joining(", "));
        }
        + " to EHR '"
        + ehr
        + "'";
  }
}
