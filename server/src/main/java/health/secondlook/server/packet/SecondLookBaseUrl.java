package health.secondlook.server.packet;

import health.secondlook.server.fhir.FhirServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * SecondLook's public FHIR base URL, which packets use to link what stays on SecondLook (large
 * attachments) and deliveries use to point recipients at the referral and its packet. Packets are
 * often assembled with no request in hand, so it comes from {@code secondlook.fhir.server-address};
 * without it, from the local port, which only this machine can reach.
 */
@Component
public class SecondLookBaseUrl {

  private static final Logger log = LoggerFactory.getLogger(SecondLookBaseUrl.class);

  private final FhirServerProperties properties;
  private final Environment environment;
  private volatile boolean warned;

  SecondLookBaseUrl(FhirServerProperties properties, Environment environment) {
    this.properties = properties;
    this.environment = environment;
  }

  /** The base URL of {@code /fhir}, e.g. {@code https://secondlook.example.org/fhir}. */
  public String get() {
    if (!properties.serverAddress().isBlank()) {
      return properties.serverAddress();
    }
    String port =
        environment.getProperty(
            "local.server.port", environment.getProperty("server.port", "8080"));
    if (!warned) {
      warned = true;
      log.warn(
          "SECONDLOOK_PUBLIC_URL is not set: packets link large attachments at http://localhost:{}/fhir, which recipients cannot reach",
          port);
    }
    return "http://localhost:" + port + "/fhir";
  }
}
