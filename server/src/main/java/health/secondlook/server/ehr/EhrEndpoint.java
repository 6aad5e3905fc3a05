package health.secondlook.server.ehr;

import health.secondlook.server.ehr.EhrEndpointProperties.Auth;
import health.secondlook.server.ehr.EhrEndpointProperties.Limits;
import health.secondlook.server.smart.LaunchClient;
import java.net.URI;
import java.util.Optional;

/**
 * One configured referring EHR as the pull sees it: its name (as given in {@code
 * ServiceRequest/$request-second-opinion}'s {@code source}), FHIR base URL without a trailing
 * slash, authentication, limits and mapping profile, and the SMART launch client clinicians sign in
 * with, if any. Immutable.
 */
public record EhrEndpoint(
    String name,
    URI baseUrl,
    Auth auth,
    Limits limits,
    String mapping,
    Optional<LaunchClient> launch) {

  static EhrEndpoint of(String name, EhrEndpointProperties properties) {
    String base = properties.baseUrl().toString().replaceAll("/+$", "");
    return new EhrEndpoint(
        name,
        URI.create(base),
        properties.auth(),
        properties.limits(),
        properties.mapping(),
        Optional.ofNullable(properties.launch()).map(l -> l.withDefaultIssuer(URI.create(base))));
  }
}
