package health.secondlook.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Real HAPI FHIR clients for tests, the way an EHR or specialist system would connect, carrying the
 * {@link TestIssuer}'s operator token.
 */
public final class FhirClients {

  public static final FhirContext R4 = FhirContext.forR4Cached();

  static {
    R4.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    R4.getRestfulClientFactory().setSocketTimeout(120_000);
  }

  private FhirClients() {}

  public static IGenericClient client(String baseUrl) {
    IGenericClient client = R4.newRestfulGenericClient(baseUrl);
    // SecondLook's API wants a token; the other servers tests talk to ignore it.
    client.registerInterceptor(TestIssuer.get().operator());
    return client;
  }

  /** The resources of the first page of {@code type?query} on that server. */
  public static <T extends Resource> List<T> search(
      IGenericClient server, Class<T> type, String query) {
    return server
        .search()
        .byUrl(type.getSimpleName() + "?" + query)
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .stream()
        .map(e -> type.cast(e.getResource()))
        .toList();
  }
}
