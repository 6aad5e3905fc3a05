package health.secondlook.server.delivery;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.ehr.EhrFailures;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
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

  private static final String PROCESS_MESSAGE = "process-message";

  private final RecipientClients clients;

  /** Recipients whose CapabilityStatement offered {@code $process-message}, by name. */
  private final Set<String> takingMessages = ConcurrentHashMap.newKeySet();

  RecipientRequestExecutor(RecipientClients clients) {
    this.clients = clients;
  }

  /** Where the delivery is stored at the recipient, in a few words. */
  @Handler
  String execute(RecipientRequest request, Exchange exchange) {
    try {
      IGenericClient client = clients.client(request.target());
      if (request.kind() == RecipientRequest.Kind.MESSAGE) {
        checkTakesMessages(client, request.target());
      }
      return send(client, request);
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

  /**
   * A server without {@code $process-message} (a stock HAPI JPA server, for one) would answer the
   * message with a bare 4xx; the operator needs to hear that the push style is the problem. Only a
   * yes is remembered, so a recipient that adds the operation later is seen at its next delivery.
   */
  private void checkTakesMessages(IGenericClient client, DeliveryTarget target) {
    if (takingMessages.contains(target.name())) {
      return;
    }
    CapabilityStatement capabilities =
        client.capabilities().ofType(CapabilityStatement.class).execute();
    boolean offered =
        capabilities.getRest().stream()
            .flatMap(rest -> rest.getOperation().stream())
            .anyMatch(
                operation ->
                    PROCESS_MESSAGE.equals(operation.getName())
                        || operation.getDefinition().endsWith("/MessageHeader-process-message"));
    if (!offered) {
      throw new MessageRefusedException(
          "the recipient's server "
              + target.delivery().baseUrl()
              + " offers no $"
              + PROCESS_MESSAGE
              + " in its CapabilityStatement, so it cannot take a message; set"
              + " secondlook.recipients."
              + target.name()
              + ".delivery.push-style=transaction (or mode notify-and-pull)");
    }
    takingMessages.add(target.name());
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

  /**
   * The recipient processed the message and answered that it failed, or cannot take messages at
   * all; sending again won't help.
   */
  static final class MessageRefusedException extends RuntimeException {
    MessageRefusedException(String message) {
      super(message);
    }
  }
}
