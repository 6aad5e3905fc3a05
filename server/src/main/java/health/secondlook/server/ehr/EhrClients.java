package health.secondlook.server.ehr;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

// TEMPORARY stand-in until the ehr-connections branch is merged.
@Component
public class EhrClients {
  private final EhrDirectory ehrs;
  private final Map<String, IGenericClient> clients = new ConcurrentHashMap<>();

  EhrClients(EhrDirectory ehrs) {
    this.ehrs = ehrs;
  }

  public IGenericClient client(String name) {
    return clients.computeIfAbsent(
        name,
        n -> {
          EhrEndpoint e = ehrs.find(n).orElseThrow();
          FhirContext ctx = FhirContext.forR4();
          ctx.setParserErrorHandler(new LenientErrorHandler(false));
          ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
          ctx.getRestfulClientFactory().setSocketTimeout((int) e.limits().readTimeout().toMillis());
          ctx.getRestfulClientFactory()
              .setConnectTimeout((int) e.limits().connectTimeout().toMillis());
          return ctx.newRestfulGenericClient(e.baseUrl().toString());
        });
  }
}
