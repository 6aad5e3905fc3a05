package health.secondlook.server.writeback;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.ehr.EhrClients;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.ehr.EhrEndpoint;
import health.secondlook.server.ehr.EhrFailures;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

/**
 * Sends one {@link EhrWrite} to the referring EHR for the {@code ehr-write} route, through the
 * EHR's client from {@link EhrClients} (its authentication and timeouts). When the write fails in a
 * way worth retrying (429, 5xx, timeouts, dropped connections), it tells Camel how long to wait
 * first: the EHR's {@code Retry-After}, otherwise backoff with jitter within the EHR's limits
 * ({@link EhrFailures}, as for the pull). Retrying is safe because every write is conditional.
 */
@Component
class EhrWriteExecutor {

  static final String ATTEMPT_HEADER = Exchange.REDELIVERY_COUNTER;

  private final EhrClients clients;
  private final EhrDirectory ehrs;

  EhrWriteExecutor(EhrClients clients, EhrDirectory ehrs) {
    this.clients = clients;
    this.ehrs = ehrs;
  }

  @Handler
  List<Written> execute(EhrWrite write, Exchange exchange) {
    EhrEndpoint ehr = ehrs.find(write.ehr()).orElseThrow();
    try {
      return send(clients.client(ehr.name()), write);
    } catch (RuntimeException e) {
      int attempt = exchange.getIn().getHeader(ATTEMPT_HEADER, 0, Integer.class);
      exchange
          .getIn()
          .setHeader(
              Exchange.REDELIVERY_DELAY, EhrFailures.backoff(ehr.limits(), attempt, e).toMillis());
      throw e;
    }
  }

  /** Whether the route should send the write again after the failure it caught. */
  boolean shouldRetry(Exchange exchange) {
    EhrWrite write = exchange.getIn().getBody(EhrWrite.class);
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    // Camel has counted this failure by the time it asks.
    int failures = exchange.getIn().getHeader(ATTEMPT_HEADER, 0, Integer.class);
    return EhrFailures.mayRetry(ehrs.find(write.ehr()).orElseThrow().limits(), failures, failure)
        && !exchange.getContext().isStopping();
  }

  private static List<Written> send(IGenericClient client, EhrWrite write) {
    String type = write.resource().fhirType();
    return switch (write.kind()) {
      case CREATE -> {
        // The header itself, not conditionalByUrl: HAPI's client would put its _format into it.
        MethodOutcome outcome =
            client
                .create()
                .resource(write.resource())
                .withAdditionalHeader(Constants.HEADER_IF_NONE_EXIST, write.condition())
                .execute();
        yield List.of(
            new Written(
                created(client, write, outcome), Boolean.TRUE.equals(outcome.getCreated())));
      }
      case UPDATE -> {
        MethodOutcome outcome =
            client
                .update()
                .resource(write.resource())
                .conditionalByUrl(type + "?" + write.condition())
                .execute();
        yield List.of(
            new Written(
                reference(outcome.getId(), type), Boolean.TRUE.equals(outcome.getCreated())));
      }
      case TRANSACTION -> {
        Bundle response = client.transaction().withBundle((Bundle) write.resource()).execute();
        List<Written> written = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : response.getEntry()) {
          written.add(
              new Written(
                  reference(new IdType(entry.getResponse().getLocation()), null),
                  entry.getResponse().getStatus().startsWith("201")));
        }
        yield written;
      }
    };
  }

  /**
   * The EHR's id of what a conditional create made or matched: from the response's Location, or the
   * returned resource, or, from a server that sends neither, by searching for the identifier.
   */
  private static String created(IGenericClient client, EhrWrite write, MethodOutcome outcome) {
    if (outcome.getId() != null && outcome.getId().hasIdPart()) {
      return reference(outcome.getId(), write.resource().fhirType());
    }
    if (outcome.getResource() != null && outcome.getResource().getIdElement().hasIdPart()) {
      return reference(outcome.getResource().getIdElement(), write.resource().fhirType());
    }
    Bundle found =
        client
            .search()
            .byUrl(write.resource().fhirType() + "?" + write.condition())
            .returnBundle(Bundle.class)
            .execute();
    if (found.getEntry().isEmpty()) {
      throw new IllegalStateException(
          write + " was accepted, but the EHR neither named nor finds the resource");
    }
    return reference(
        found.getEntryFirstRep().getResource().getIdElement(), write.resource().fhirType());
  }

  private static String reference(IIdType id, String type) {
    return (id.hasResourceType() ? id.getResourceType() : type) + "/" + id.getIdPart();
  }
}
