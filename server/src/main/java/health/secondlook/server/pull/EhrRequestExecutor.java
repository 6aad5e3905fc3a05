package health.secondlook.server.pull;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.ehr.EhrClients;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.ehr.EhrEndpoint;
import health.secondlook.server.ehr.EhrFailures;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

/**
 * Performs one {@link EhrRequest} against the referring EHR for the {@code ehr-request} route,
 * never more at once per EHR than its configured concurrency. When the request fails in a way worth
 * retrying, it tells Camel how long to wait first: the EHR's {@code Retry-After} if it sent one,
 * otherwise exponential backoff with jitter within the EHR's limits.
 */
@Component
class EhrRequestExecutor {

  static final String ATTEMPT_HEADER = Exchange.REDELIVERY_COUNTER;

  private final EhrClients clients;
  private final EhrDirectory ehrs;
  private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

  EhrRequestExecutor(EhrClients clients, EhrDirectory ehrs) {
    this.clients = clients;
    this.ehrs = ehrs;
  }

  @Handler
  IBaseResource execute(EhrRequest request, Exchange exchange) throws Exception {
    EhrEndpoint ehr = ehrs.find(request.ehr()).orElseThrow();
    Semaphore permit =
        permits.computeIfAbsent(ehr.name(), n -> new Semaphore(ehr.limits().maxConcurrency()));
    permit.acquire();
    try {
      return send(clients.client(ehr.name()), request);
    } catch (Exception e) {
      int attempt = exchange.getIn().getHeader(ATTEMPT_HEADER, 0, Integer.class);
      exchange
          .getIn()
          .setHeader(Exchange.REDELIVERY_DELAY, delayBefore(ehr, attempt, e).toMillis());
      throw e;
    } finally {
      permit.release();
    }
  }

  /** Whether the route should try the request again after {@code failure}. */
  boolean shouldRetry(Exchange exchange) {
    EhrRequest request = exchange.getIn().getBody(EhrRequest.class);
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    int attempt = exchange.getIn().getHeader(ATTEMPT_HEADER, 0, Integer.class);
    int maxAttempts = ehrs.find(request.ehr()).orElseThrow().limits().maxAttempts();
    return attempt + 1 < maxAttempts
        && EhrFailures.isRetryable(failure)
        && !exchange.getContext().isStopping();
  }

  private static IBaseResource send(IGenericClient client, EhrRequest request) {
    return switch (request.kind()) {
      case SEARCH -> client.search().byUrl(request.url()).returnBundle(Bundle.class).execute();
      case READ -> {
        IdType id = new IdType(request.url());
        yield client.read().resource(id.getResourceType()).withId(id.getIdPart()).execute();
      }
    };
  }

  private static Duration delayBefore(EhrEndpoint ehr, int attempt, Exception failure) {
    return EhrFailures.retryDelay(
        failure, attempt, ehr.limits().initialBackoff(), ehr.limits().maxBackoff());
  }
}
