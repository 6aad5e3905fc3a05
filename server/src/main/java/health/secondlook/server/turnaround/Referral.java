package health.secondlook.server.turnaround;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Task;

/**
 * What turnaround needs to know of one referral Task: who it is addressed to, its status, when it
 * was requested and first reached each status, and when the second opinion is due.
 *
 * @param recipient the configured recipient the Task is addressed to ({@code Task.owner}), {@value
 *     #NO_RECIPIENT} without an owner, {@value #OTHER_RECIPIENT} for one that is not configured
 * @param requested when it was requested ({@code authoredOn}, else its {@code requested} entry)
 * @param reached the first time it reached each status, in the order reached
 * @param due when the opinion is due: the end of {@code Task.restriction.period.end}, which is the
 *     end of that day (in the server's time zone) for a date; empty when the referral gave no
 *     treatment start date
 */
record Referral(
    String taskId,
    String recipient,
    String status,
    Optional<Instant> requested,
    Map<String, Instant> reached,
    Optional<DateTimeType> dueDate,
    Optional<Instant> due) {

  static final String RECIPIENT_SYSTEM = "https://secondlook.health/fhir/recipient";
  static final String NO_RECIPIENT = "none";
  static final String OTHER_RECIPIENT = "other";

  /** The statuses a review has ended in; a referral in any other is still owed an opinion. */
  static final Set<String> ENDED =
      Set.of("completed", "rejected", "cancelled", "failed", "entered-in-error");

  static Referral of(Task task, Set<String> recipients, ZoneId zone) {
    Map<String, Instant> reached = new LinkedHashMap<>();
    for (StatusHistory.Entry entry : StatusHistory.read(task)) {
      reached.putIfAbsent(entry.status(), entry.time());
    }
    Optional<Instant> requested =
        task.hasAuthoredOn()
            ? Optional.of(task.getAuthoredOn().toInstant())
            : Optional.ofNullable(reached.get("requested"));
    // A referral without a treatment start date has no due date, and is never overdue.
    Optional<DateTimeType> dueDate =
        task.hasRestriction() && task.getRestriction().getPeriod().hasEnd()
            ? Optional.of(task.getRestriction().getPeriod().getEndElement())
            : Optional.empty();
    return new Referral(
        task.getIdElement().getIdPart(),
        recipient(task, recipients),
        task.hasStatus() ? task.getStatus().toCode() : "",
        requested,
        Collections.unmodifiableMap(reached),
        dueDate,
        dueDate.map(d -> endOf(d, zone)));
  }

  boolean overdueAt(Instant now) {
    return !ENDED.contains(status) && due.isPresent() && !now.isBefore(due.get());
  }

  private static String recipient(Task task, Set<String> recipients) {
    if (!task.hasOwner()) {
      return NO_RECIPIENT;
    }
    var identifier = task.getOwner().getIdentifier();
    return RECIPIENT_SYSTEM.equals(identifier.getSystem())
            && recipients.contains(identifier.getValue())
        ? identifier.getValue()
        : OTHER_RECIPIENT;
  }

  /** A date is due until the day is over; a date and time, until that moment. */
  private static Instant endOf(DateTimeType end, ZoneId zone) {
    if (end.getPrecision().ordinal() > TemporalPrecisionEnum.DAY.ordinal()) {
      return end.getValue().toInstant();
    }
    LocalDate day = LocalDate.of(end.getYear(), end.getMonth() + 1, end.getDay());
    if (end.getPrecision() == TemporalPrecisionEnum.MONTH) {
      day = day.withDayOfMonth(day.lengthOfMonth());
    } else if (end.getPrecision() == TemporalPrecisionEnum.YEAR) {
      day = day.withDayOfYear(day.lengthOfYear());
    }
    return day.plusDays(1).atStartOfDay(zone).toInstant();
  }
}
