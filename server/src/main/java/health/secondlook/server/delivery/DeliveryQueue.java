package health.secondlook.server.delivery;

import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
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
      for (Task interrupted : find(ReferralTasks.DELIVERING, Integer.MAX_VALUE)) {
        log.info(
            "Resuming the interrupted delivery of {}", interrupted.getIdElement().toVersionless());
        move(
            interrupted,
            ReferralTasks.DELIVERY_QUEUED,
            "Delivery interrupted by a restart; queued again");
      }
    }
    int capacity = properties.concurrentDeliveries() - running.size();
    List<String> claimed = new ArrayList<>();
    for (Task waiting : find(ReferralTasks.DELIVERY_QUEUED, capacity)) {
      String queuedText = waiting.getBusinessStatus().getText();
      if (move(waiting, ReferralTasks.DELIVERING, delivering(queuedText))) {
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

  private List<Task> find(String progress, int max) {
    if (max <= 0) {
      return List.of();
    }
    SearchParameterMap map =
        SearchParameterMap.newSynchronous(
            "business-status", new TokenParam(REFERRAL_PROGRESS_SYSTEM, progress));
    int count = Math.min(max, 100);
    map.setSort(new SortSpec("_lastUpdated"));
    map.setCount(count);
    return tasks.search(map, new SystemRequestDetails()).getResources(0, count).stream()
        .map(Task.class::cast)
        .toList();
  }

  /** Version-checked: false when someone changed the Task first. */
  private boolean move(Task task, String progress, String text) {
    ReferralTasks.setProgress(task, progress, text);
    try {
      tasks.update(task, new SystemRequestDetails());
      return true;
    } catch (ResourceVersionConflictException e) {
      return false;
    }
  }
}
