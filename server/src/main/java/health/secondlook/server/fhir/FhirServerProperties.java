package health.secondlook.server.fhir;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How SecondLook's own FHIR endpoint behaves.
 *
 * @param defaultPageSize search page size when a client sends no {@code _count}
 * @param maxPageSize largest {@code _count} honoured
 * @param serverAddress public base URL written into links; empty means "as the request came in"
 */
@ConfigurationProperties("secondlook.fhir")
public record FhirServerProperties(
    @DefaultValue("20") int defaultPageSize,
    @DefaultValue("200") int maxPageSize,
    @DefaultValue("") String serverAddress) {}
