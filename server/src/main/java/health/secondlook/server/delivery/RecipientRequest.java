package health.secondlook.server.delivery;

import org.hl7.fhir.r4.model.Resource;

/**
 * The one HTTP interaction that delivers a packet (or, for notify-and-pull, the Task that points at
 * it) to a recipient's FHIR server. Sending it twice changes nothing there: every write in it is
 * conditional on an identifier.
 *
 * @param target the recipient
 * @param kind how it is sent
 * @param body the transaction or message Bundle, or the Task
 * @param conditionalUrl {@code Task?identifier=…} for {@link Kind#UPDATE_TASK}
 */
record RecipientRequest(DeliveryTarget target, Kind kind, Resource body, String conditionalUrl) {

  enum Kind {
    /** POST a transaction Bundle to the base URL. */
    TRANSACTION,
    /** POST a message Bundle to {@code $process-message}. */
    MESSAGE,
    /** PUT the Task at a conditional URL. */
    UPDATE_TASK
  }

  @Override
  public String toString() {
    String base = target.delivery().baseUrl().toString().replaceAll("/+$", "");
    return switch (kind) {
      case TRANSACTION -> "POST of a transaction to " + base;
      case MESSAGE -> "POST of a message to " + base + "/$process-message";
      case UPDATE_TASK -> "PUT " + base + "/" + conditionalUrl;
    };
  }
}
