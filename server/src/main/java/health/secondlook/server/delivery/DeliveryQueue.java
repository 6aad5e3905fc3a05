package health.secondlook.server.delivery;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import health.secondlook.server.referral.ProgressQueue;
import health.secondlook.server.referral.ReferralTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Handler;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The durable queue of packets waiting to be delivered: Tasks whose business status is {@code
 * delivery-queued}. Claiming one moves it to {@code delivering} with a version-checked update, so a
 * packet is never delivered twice at once. After a restart, deliveries that were interrupted (still
 * {@code delivering}) are queued again before anything else is claimed; delivering again is safe,
 * because every delivery is conditional on the packet's and the Task's identifiers.
 *
 * <p>Like the pull's queue, this assumes one SecondLook instance per database.
 */
@Component
class DeliveryQueue {

  private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);

  private final IFhirResourceDao<Task> tasks;
  private final DeliveryProperties properties;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean resumed = new AtomicBoolean();

  DeliveryQueue(DaoRegistry daoRegistry, DeliveryProperties properties) {
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.properties = properties;
  }

  @Handler
  List<String> claimWaiting() {
    if (resumed.compareAndSet(false, true)) {
      for (Task interrupted :
          ProgressQueue.waiting(tasks, ReferralTasks.DELIVERING, Integer.MAX_VALUE)) {
        log.info(
            "Resuming the interrupted delivery of {}", interrupted.getIdElement().toVersionless());
        ProgressQueue.claim(
            tasks,
            interrupted,
            ReferralTasks.DELIVERY_QUEUED,
            "Delivery interrupted by a restart; queued again");
      }
    }
    int capacity = properties.concurrentDeliveries() - running.size();
    List<String> claimed = new ArrayList<>();
    for (Task waiting : ProgressQueue.waiting(tasks, ReferralTasks.DELIVERY_QUEUED, capacity)) {
      String queuedText = waiting.getBusinessStatus().getText();
      if (ProgressQueue.claim(tasks, waiting, ReferralTasks.DELIVERING, delivering(queuedText))) {
        String id = waiting.getIdElement().getIdPart();
        running.add(id);
        claimed.add(id);
      }
    }
    return claimed;
  }

  /** The delivery of this Task ended, one way or another. */
  void finished(String taskId) {
    running.remove(taskId);
  }

  private static String delivering(String queuedText) {
    return queuedText == null ? "Delivering the packet" : "Delivering. " + queuedText;
  }
}
