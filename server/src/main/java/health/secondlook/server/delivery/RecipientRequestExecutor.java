package health.secondlook.server.delivery;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.ehr.EhrFailures;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Sends one {@link RecipientRequest} for the {@code recipient-request} route and says where it
 * landed. When it fails in a way worth retrying, it tells Camel how long to wait first: the
 * recipient's {@code Retry-After} if it sent one, otherwise exponential backoff with jitter within
 * the recipient's limits.
 */
@Component
class RecipientRequestExecutor {

  private final RecipientClients clients;

  RecipientRequestExecutor(RecipientClients clients) {
    this.clients = clients;
  }

  /** Where the delivery is stored at the recipient, in a few words. */
  @Handler
  String execute(RecipientRequest request, Exchange exchange) {
    try {
      return send(clients.client(request.target()), request);
    } catch (RuntimeException e) {
      int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
      RecipientDelivery.Limits limits = request.target().delivery().limits();
      exchange
          .getIn()
          .setHeader(
              Exchange.REDELIVERY_DELAY,
              EhrFailures.retryDelay(e, attempt, limits.initialBackoff(), limits.maxBackoff())
                  .toMillis());
      throw e;
    }
  }

  /** Whether the route should try the request again after the failure it caught. */
  boolean shouldRetry(Exchange exchange) {
    RecipientRequest request = exchange.getIn().getBody(RecipientRequest.class);
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
    return attempt + 1 < request.target().delivery().limits().maxAttempts()
        && EhrFailures.isRetryable(failure)
        && !exchange.getContext().isStopping();
  }

  private static String send(IGenericClient client, RecipientRequest request) {
    return switch (request.kind()) {
      case TRANSACTION -> {
        Bundle response = client.transaction().withBundle((Bundle) request.body()).execute();
        yield "stored there as "
            + response.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResponse)
                .filter(r -> r.hasLocation())
                .map(
                    r ->
                        r.getLocation().replaceAll("/_history/.*$", "")
                            + " ("
                            + r.getStatus()
                            + ")")
                .collect(Collectors.joining(" and "));
      }
      case MESSAGE -> {
        Bundle response =
            client
                .operation()
                .processMessage()
                .setMessageBundle((Bundle) request.body())
                .synchronous(Bundle.class)
                .execute();
        yield acknowledged(response);
      }
      case UPDATE_TASK -> {
        MethodOutcome outcome =
            client
                .update()
                .resource((Task) request.body())
                .conditionalByUrl(request.conditionalUrl())
                .execute();
        yield "the Task is "
            + (outcome.getId() == null
                ? "stored"
                : outcome.getId().toUnqualifiedVersionless().getValue())
            + " there";
      }
    };
  }

  /** A message is delivered once the recipient answers {@code ok}; an error answer is a refusal. */
  private static String acknowledged(Bundle response) {
    MessageHeader header =
        response.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(MessageHeader.class::isInstance)
            .map(MessageHeader.class::cast)
            .findFirst()
            .orElse(null);
    if (header == null || !header.hasResponse()) {
      return "accepted by $process-message";
    }
    if (header.getResponse().getCode() != MessageHeader.ResponseType.OK) {
      throw new MessageRefusedException(
          "the recipient answered the message with '"
              + header.getResponse().getCode().toCode()
              + "'");
    }
    return "acknowledged (ok) by $process-message";
  }

  /** The recipient processed the message and answered that it failed; sending again won't help. */
  static final class MessageRefusedException extends RuntimeException {
    MessageRefusedException(String message) {
      super(message);
    }
  }
}
