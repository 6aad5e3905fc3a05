package health.secondlook.server.web;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import health.secondlook.server.security.PageTokens;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * SecondLook's own FHIR API, as the pages use it: over HTTP on this node, through the same
 * operations ({@code $request-second-opinion}, {@code $proceed}, Task updates, {@code
 * $submit-review}, {@code $verify-signature}) and the same checks an integrator's system meets,
 * with a token for the signed-in user's organisation ({@link PageTokens}). The pages hold no rule
 * of their own about what may happen to a referral or who may see it.
 */
@Component
class SecondLookApi {

  private final Environment environment;
  private final FhirContext fhir = FhirContext.forR4();
  private volatile IGenericClient client;

  private final PageTokens tokens;

  SecondLookApi(Environment environment, PageTokens tokens) {
    this.environment = environment;
    this.tokens = tokens;
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    fhir.getRestfulClientFactory().setSocketTimeout(60_000);
  }

  IGenericClient client() {
    if (client == null) {
      String port =
          environment.getProperty("local.server.port", environment.getProperty("server.port"));
      IGenericClient api = fhir.newRestfulGenericClient("http://localhost:" + port + "/fhir");
      api.registerInterceptor(tokens.forSignedInUser());
      client = api;
    }
    return client;
  }

  FhirContext fhir() {
    return fhir;
  }
}
