package health.secondlook.server.delivery;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.ehr.EhrClients;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * HAPI FHIR clients for recipients' servers, one per recipient, made on first use like the EHRs'
 * (see {@link EhrClients#plainClient}): the recipient's timeouts and bearer token, and failures
 * that name the server and keep its {@code Retry-After}.
 */
@Component
class RecipientClients {

  private final Map<String, IGenericClient> clients = new ConcurrentHashMap<>();

  IGenericClient client(DeliveryTarget target) {
    return clients.computeIfAbsent(
        target.name(),
        name ->
            EhrClients.plainClient(
                target.delivery().baseUrl(),
                target.delivery().token(),
                target.delivery().limits().connectTimeout(),
                target.delivery().limits().readTimeout()));
  }
}
