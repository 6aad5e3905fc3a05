package health.secondlook.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;

/** Real HAPI FHIR clients for tests, the way an EHR or specialist system would connect. */
public final class FhirClients {

  public static final FhirContext R4 = FhirContext.forR4Cached();

  static {
    R4.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    R4.getRestfulClientFactory().setSocketTimeout(120_000);
  }

  private FhirClients() {}

  public static IGenericClient client(String baseUrl) {
    return R4.newRestfulGenericClient(baseUrl);
  }
}
