package health.secondlook.server.pull;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import health.secondlook.server.referral.ProgressQueue;
import health.secondlook.server.referral.ReferralTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Handler;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The durable queue of referrals waiting for their records: Tasks whose business status is {@code
 * pull-queued}. Claiming one moves it to {@code pulling} with a version-checked update, so a
 * referral is never pulled twice at once. After a restart, pulls that were interrupted (still
 * {@code pulling}) are queued again before anything else is claimed.
 *
 * <p>This assumes one SecondLook instance per database; several instances would need leases.
 */
@Component
class PullQueue {

  private static final Logger log = LoggerFactory.getLogger(PullQueue.class);

  private final IFhirResourceDao<Task> tasks;
  private final RunningPulls running;
  private final PullProperties properties;
  private final AtomicBoolean resumed = new AtomicBoolean();

  PullQueue(DaoRegistry daoRegistry, RunningPulls running, PullProperties properties) {
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.running = running;
    this.properties = properties;
  }

  @Handler
  List<String> claimWaiting() {
    if (resumed.compareAndSet(false, true)) {
      for (Task interrupted :
          ProgressQueue.waiting(tasks, ReferralTasks.PULLING, Integer.MAX_VALUE)) {
        log.info("Resuming the interrupted pull of {}", interrupted.getIdElement().toVersionless());
        ProgressQueue.claim(
            tasks,
            interrupted,
            ReferralTasks.PULL_QUEUED,
            "Pull interrupted by a restart; queued again");
      }
    }
    int capacity = properties.concurrentReferrals() - running.count();
    List<String> claimed = new ArrayList<>();
    for (Task waiting : ProgressQueue.waiting(tasks, ReferralTasks.PULL_QUEUED, capacity)) {
      if (ProgressQueue.claim(tasks, waiting, ReferralTasks.PULLING, "Pull started")) {
        String id = waiting.getIdElement().getIdPart();
        running.start(id);
        claimed.add(id);
      }
    }
    return claimed;
  }
}
