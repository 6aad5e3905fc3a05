package health.secondlook.server.web;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * SecondLook's own FHIR API, as the pages use it: over HTTP on this node, through the same
 * operations ({@code $request-second-opinion}, {@code $proceed}, Task updates, {@code
 * $submit-review}, {@code $verify-signature}) and the same checks an integrator's system meets. The
 * pages hold no rule of their own about what may happen to a referral.
 */
@Component
class SecondLookApi {

  private final Environment environment;
  private final FhirContext fhir = FhirContext.forR4();
  private volatile IGenericClient client;

  SecondLookApi(Environment environment) {
    this.environment = environment;
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    fhir.getRestfulClientFactory().setSocketTimeout(60_000);
  }

  IGenericClient client() {
    if (client == null) {
      String port =
          environment.getProperty("local.server.port", environment.getProperty("server.port"));
      client = fhir.newRestfulGenericClient("http://localhost:" + port + "/fhir");
    }
    return client;
  }

  FhirContext fhir() {
    return fhir;
  }
}
