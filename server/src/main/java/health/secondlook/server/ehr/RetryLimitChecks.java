package health.secondlook.server.ehr;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The checks every remote endpoint's retry settings get at start-up, an EHR's ({@code
 * secondlook.ehrs.<name>.limits}) as a recipient's ({@code ...delivery.limits}), each problem named
 * by its property under {@code limits.}.
 */
public final class RetryLimitChecks {

  private RetryLimitChecks() {}

  public static void check(
      int maxAttempts,
      Duration connectTimeout,
      Duration readTimeout,
      Duration initialBackoff,
      Duration maxBackoff,
      Consumer<String> problem) {
    if (maxAttempts < 1) {
      problem.accept("limits.max-attempts: must be at least 1");
    }
    if (!isPositive(connectTimeout)) {
      problem.accept("limits.connect-timeout: must be positive");
    }
    if (!isPositive(readTimeout)) {
      problem.accept("limits.read-timeout: must be positive");
    }
    if (!isPositive(initialBackoff)) {
      problem.accept("limits.initial-backoff: must be positive");
    } else if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
      problem.accept("limits.max-backoff: must be at least limits.initial-backoff");
    }
  }

  static boolean isPositive(Duration duration) {
    return duration != null && duration.compareTo(Duration.ZERO) > 0;
  }
}
