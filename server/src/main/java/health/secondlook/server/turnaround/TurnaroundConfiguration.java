package health.secondlook.server.turnaround;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Referral turnaround: the status history recorded on each Task ({@link StatusHistoryRecorder}),
 * the metrics computed from it ({@link TurnaroundMetrics}) and {@code Task/$turnaround}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TurnaroundProperties.class)
class TurnaroundConfiguration {

  /** A receiving organisation as configured under {@code secondlook.recipients.<name>}. */
  record RecipientSetting(String display) {}

  @Bean
  TurnaroundReport turnaroundReport(DaoRegistry daoRegistry, Environment environment) {
    Set<String> recipients =
        Binder.get(environment)
            .bind("secondlook.recipients", Bindable.mapOf(String.class, RecipientSetting.class))
            .map(Map::keySet)
            .orElse(Set.of());
    return new TurnaroundReport(daoRegistry, recipients, Clock.systemDefaultZone());
  }

  @Bean
  TurnaroundMetrics turnaroundMetrics(
      TurnaroundReport report, MeterRegistry registry, TurnaroundProperties properties) {
    return new TurnaroundMetrics(report, registry, properties.refreshInterval());
  }

  @Bean
  TurnaroundOperations turnaroundOperations(TurnaroundMetrics metrics) {
    return new TurnaroundOperations(metrics);
  }
}
