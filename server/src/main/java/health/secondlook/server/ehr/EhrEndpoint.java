package health.secondlook.server.ehr;

import java.net.URI;
import java.time.Duration;

// TEMPORARY stand-in until the ehr-connections branch is merged.
public record EhrEndpoint(String name, URI baseUrl, Limits limits, String mapping) {
  public record Limits(
      int maxConcurrency,
      Duration connectTimeout,
      Duration readTimeout,
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      long maxBinaryBytes,
      int pageSize) {}
}
