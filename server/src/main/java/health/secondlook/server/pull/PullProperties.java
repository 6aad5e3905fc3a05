package health.secondlook.server.pull;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the pull runs.
 *
 * @param pollInterval how often waiting referrals are picked up
 * @param concurrentReferrals referrals pulled at the same time
 * @param fetchThreads threads shared by all pulls for EHR requests (each EHR's own {@code
 *     max-concurrency} still applies)
 * @param maxReferenceRounds how many hops of references are followed from the searches
 */
@ConfigurationProperties("secondlook.pull")
record PullProperties(
    @DefaultValue("500ms") Duration pollInterval,
    @DefaultValue("4") int concurrentReferrals,
    @DefaultValue("16") int fetchThreads,
    @DefaultValue("4") int maxReferenceRounds) {}
