package health.secondlook.server.turnaround;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param refreshInterval how often the turnaround metrics are recomputed from the stored Tasks
 */
@ConfigurationProperties("secondlook.turnaround")
record TurnaroundProperties(Duration refreshInterval) {

  TurnaroundProperties {
    refreshInterval = refreshInterval == null ? Duration.ofSeconds(30) : refreshInterval;
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException(
          "secondlook.turnaround.refresh-interval must be positive, not " + refreshInterval);
    }
  }
}
