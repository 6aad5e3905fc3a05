package health.secondlook.server.web;

import health.secondlook.server.referral.ReferralTasks;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;

/**
 * A referral Task as the pages show it: its status, where it is in the loop (the steps reached),
 * its urgency and due date, and whether it is overdue.
 */
record ReferralView(
    String id,
    String description,
    String status,
    String statusDisplay,
    String progress,
    String progressText,
    String priority,
    LocalDate due,
    boolean overdue,
    boolean dueSoon,
    String statusReason,
    List<Step> steps) {

  /** One step of the loop and whether the referral has reached it. */
  record Step(String name, boolean reached) {}

  private static final Set<String> NOT_PULLED =
      Set.of(ReferralTasks.PULL_QUEUED, ReferralTasks.PULLING, ReferralTasks.PULL_FAILED);
  private static final Set<String> NOT_COMPLETE =
      Set.of(
          ReferralTasks.PULL_QUEUED,
          ReferralTasks.PULLING,
          ReferralTasks.PULL_FAILED,
          ReferralTasks.RECORDS_INCOMPLETE);
  private static final Set<String> DELIVERED =
      Set.of(
          ReferralTasks.DELIVERED,
          ReferralTasks.AWAITING_INFORMATION,
          ReferralTasks.WRITE_BACK_QUEUED,
          ReferralTasks.WRITTEN_BACK,
          ReferralTasks.WRITE_BACK_FAILED);
  private static final Set<TaskStatus> TAKEN =
      Set.of(TaskStatus.ACCEPTED, TaskStatus.INPROGRESS, TaskStatus.COMPLETED);
  private static final Set<TaskStatus> CLOSED =
      Set.of(TaskStatus.COMPLETED, TaskStatus.REJECTED, TaskStatus.CANCELLED, TaskStatus.FAILED);

  /** Most urgent first, then the earliest due date, then the oldest. */
  static final Comparator<ReferralView> BY_URGENCY =
      Comparator.comparingInt((ReferralView r) -> rank(r.priority()))
          .thenComparing(r -> r.due() == null ? LocalDate.MAX : r.due())
          .thenComparing(ReferralView::id);

  static ReferralView of(Task task, LocalDate today) {
    String progress = ReferralTasks.progress(task).orElse("");
    TaskStatus status = task.getStatus();
    LocalDate due =
        task.getRestriction().getPeriod().hasEnd()
            ? task.getRestriction()
                .getPeriod()
                .getEnd()
                .toInstant()
                .atZone(ZoneId.systemDefault())
                .toLocalDate()
            : null;
    boolean open = !CLOSED.contains(status);
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("Requested", true));
    steps.add(
        new Step(
            "Records pulled",
            !progress.isEmpty() && !NOT_PULLED.contains(progress) || TAKEN.contains(status)));
    steps.add(
        new Step(
            "Records complete",
            !progress.isEmpty() && !NOT_COMPLETE.contains(progress) || TAKEN.contains(status)));
    steps.add(new Step("Delivered", DELIVERED.contains(progress) || TAKEN.contains(status)));
    steps.add(new Step("Accepted", TAKEN.contains(status)));
    steps.add(new Step("Reviewed", status == TaskStatus.COMPLETED));
    steps.add(new Step("Answer in the EHR", ReferralTasks.WRITTEN_BACK.equals(progress)));
    return new ReferralView(
        task.getIdElement().getIdPart(),
        task.hasDescription() ? task.getDescription() : "Second opinion",
        status == null ? "" : status.toCode(),
        status == null ? "" : status.getDisplay(),
        progress,
        task.getBusinessStatus().getText(),
        task.hasPriority() ? task.getPriority().toCode() : "routine",
        due,
        open && due != null && due.isBefore(today),
        open && due != null && !due.isBefore(today) && !due.isAfter(today.plusDays(7)),
        task.getStatusReason().getText(),
        steps);
  }

  /** Only the steps reached, for "is this the current one". */
  public String currentStep() {
    String current = steps.get(0).name();
    for (Step step : steps) {
      if (step.reached()) {
        current = step.name();
      }
    }
    return current;
  }

  public boolean finished() {
    return CLOSED.contains(TaskStatus.fromCode(status.isEmpty() ? "draft" : status))
        && !ReferralTasks.WRITE_BACK_QUEUED.equals(progress);
  }

  private static int rank(String priority) {
    return switch (priority) {
      case "stat" -> 0;
      case "asap" -> 1;
      case "urgent" -> 2;
      default -> 3;
    };
  }
}
