package health.secondlook.server.writeback;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the write-back runs. Retries, timeouts and authentication are each EHR's own ({@code
 * secondlook.ehrs.<name>.*}).
 *
 * @param pollInterval how often reviews waiting to be written back are picked up, and (by their own
 *     route) requests for more information waiting to be written
 * @param concurrentWriteBacks reviews written back at the same time, to all EHRs together; as many
 *     requests for more information besides
 */
@ConfigurationProperties("secondlook.write-back")
record WriteBackProperties(
    @DefaultValue("500ms") Duration pollInterval, @DefaultValue("2") int concurrentWriteBacks) {}
