package health.secondlook.server.ehr;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.test.utilities.server.RestfulServerExtension;
import health.secondlook.sandbox.SandboxEhr;
import health.secondlook.sandbox.SyntheticCancerPatients;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The sandbox EHR behind a {@link SandboxGate}, and EHR clients configured from property lines. */
final class EhrTestSupport {

  private EhrTestSupport() {}

  static RestfulServerExtension sandbox(SandboxGate gate) {
    return new RestfulServerExtension(FhirContext.forR4Cached())
        .withServer(
            new SandboxEhr(FhirContext.forR4Cached(), 5).seed(SyntheticCancerPatients.all())
                ::installInto)
        .withServletPath("/fhir/*")
        .withServletFilter(gate)
        .keepAliveBetweenTests();
  }

  /** Binds {@code key=value} lines exactly as the application binds its configuration. */
  static EhrDirectory directory(String... properties) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : properties) {
      int equals = line.indexOf('=');
      map.put(line.substring(0, equals), line.substring(equals + 1));
    }
    EhrProperties bound =
        new Binder(new MapConfigurationPropertySource(map))
            .bindOrCreate("secondlook", EhrProperties.class);
    return new EhrDirectory(bound);
  }

  static EhrClients clients(Clock clock, String... properties) {
    return new EhrClients(directory(properties), clock);
  }

  static EhrClients clients(String... properties) {
    return clients(Clock.systemUTC(), properties);
  }
}
