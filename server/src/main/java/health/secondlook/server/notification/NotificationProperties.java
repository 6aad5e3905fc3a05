package health.secondlook.server.notification;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How referrers are notified of changes to their referrals.
 *
 * @param submissionInterval how often HAPI hands stored changes to subscription matching: the
 *     longest a change waits before it is delivered (HAPI's default is 5 s)
 * @param resourceTypes the resource types a Subscription's criteria may name
 */
@ConfigurationProperties("secondlook.notifications")
record NotificationProperties(Duration submissionInterval, List<String> resourceTypes) {

  NotificationProperties {
    submissionInterval = submissionInterval == null ? Duration.ofSeconds(1) : submissionInterval;
    resourceTypes = resourceTypes == null ? List.of("Task") : List.copyOf(resourceTypes);
    if (submissionInterval.isNegative() || submissionInterval.isZero()) {
      throw new IllegalArgumentException(
          "secondlook.notifications.submission-interval must be positive, not "
              + submissionInterval);
    }
  }
}
