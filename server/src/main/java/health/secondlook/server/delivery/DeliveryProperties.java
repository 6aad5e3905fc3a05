package health.secondlook.server.delivery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How packet delivery runs (each recipient's own settings: {@code
 * secondlook.recipients.<name>.delivery.*}).
 *
 * @param pollInterval how often packets waiting for delivery are picked up
 * @param concurrentDeliveries deliveries under way at the same time
 */
@ConfigurationProperties("secondlook.delivery")
record DeliveryProperties(
    @DefaultValue("500ms") Duration pollInterval, @DefaultValue("2") int concurrentDeliveries) {}
