package health.secondlook.server.turnaround;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.server.turnaround.StatusHistory.Entry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Records, on every Task as it is stored, the time it first reached each status ({@link
 * StatusHistory}): at creation {@code requested} at {@code authoredOn} (and the initial status, if
 * another, now); on each update the new status, now, if the Task had not reached it before. The
 * hooks sit on the storage layer, so they see every write: the REST API (PUT, PATCH, transactions)
 * and SecondLook's own code alike.
 *
 * <p>The history cannot be forged or lost by a client: whatever it sends in the extension is
 * dropped and the stored version's entries are carried over, so a plain PUT of a Task without the
 * extension keeps the history, and a PUT with invented entries does not add them.
 *
 * <p>Code inside SecondLook (an import of historical referrals, a test) may record a status at a
 * chosen time by putting an {@link Instant} under {@link #REACHED_AT} in the user data of a {@link
 * SystemRequestDetails}; requests from outside can never carry it.
 */
@Component
@Interceptor
class StatusHistoryRecorder {

  /** {@link SystemRequestDetails} user data: the instant to record instead of the current time. */
  static final String REACHED_AT = StatusHistoryRecorder.class.getName() + ".reachedAt";

  private final Clock clock = Clock.systemUTC();

  StatusHistoryRecorder(IInterceptorService jpaInterceptorService) {
    jpaInterceptorService.registerInterceptor(this);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  void created(IBaseResource resource, RequestDetails request) {
    if (!(resource instanceof Task task)) {
      return;
    }
    Instant now = now(request);
    Instant requested =
        task.hasAuthoredOn() && !task.getAuthoredOn().toInstant().isAfter(now)
            ? task.getAuthoredOn().toInstant()
            : now;
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(Task.TaskStatus.REQUESTED.toCode(), requested));
    if (task.hasStatus() && task.getStatus() != Task.TaskStatus.REQUESTED) {
      entries.add(new Entry(task.getStatus().toCode(), now));
    }
    StatusHistory.write(task, entries);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
    if (!(previous instanceof Task stored) || !(resource instanceof Task task)) {
      return;
    }
    List<Entry> entries = new ArrayList<>(StatusHistory.read(stored));
    if (entries.isEmpty() && stored.hasAuthoredOn()) {
      // A Task stored before SecondLook kept status history: its request time is still known.
      entries.add(
          new Entry(Task.TaskStatus.REQUESTED.toCode(), stored.getAuthoredOn().toInstant()));
    }
    if (task.hasStatus()
        && task.getStatus() != stored.getStatus()
        && entries.stream().noneMatch(e -> e.status().equals(task.getStatus().toCode()))) {
      entries.add(new Entry(task.getStatus().toCode(), now(request)));
    }
    StatusHistory.write(task, entries);
  }

  private Instant now(RequestDetails request) {
    if (request instanceof SystemRequestDetails system
        && system.getUserData().get(REACHED_AT) instanceof Instant chosen) {
      return chosen;
    }
    return clock.instant();
  }
}
