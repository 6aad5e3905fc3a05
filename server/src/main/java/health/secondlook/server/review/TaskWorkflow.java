package health.secondlook.server.review;

import static org.hl7.fhir.r4.model.Task.TaskStatus.ACCEPTED;
import static org.hl7.fhir.r4.model.Task.TaskStatus.COMPLETED;
import static org.hl7.fhir.r4.model.Task.TaskStatus.INPROGRESS;
import static org.hl7.fhir.r4.model.Task.TaskStatus.RECEIVED;
import static org.hl7.fhir.r4.model.Task.TaskStatus.REJECTED;
import static org.hl7.fhir.r4.model.Task.TaskStatus.REQUESTED;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import health.secondlook.server.fhir.Outcomes;
import health.secondlook.server.referral.ReferralTasks;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.springframework.stereotype.Component;

/**
 * The specialist's side of the referral Task ("Task at fulfiller"): checks every update a FHIR
 * client makes to a referral Task (PUT, PATCH, or inside a transaction) before it is stored. A
 * client may move {@code Task.status} along the workflow, give a {@code statusReason}, add notes
 * and mark the referral {@code awaiting-information}; everything else on the Task (what is asked,
 * for whom, by whom, by when, and what SecondLook attached) stays as SecondLook stored it.
 * Completion comes only with a review ({@code $submit-review}), so a completed Task always has its
 * signed feedback. SecondLook's own updates (pull, delivery, review, write-back) are not checked
 * here.
 */
@Component
@Interceptor
class TaskWorkflow {

  /** Where a client may move a referral Task from each status. */
  private static final Map<TaskStatus, Set<TaskStatus>> CLIENT_TRANSITIONS =
      Map.of(
          REQUESTED, EnumSet.of(RECEIVED, ACCEPTED, REJECTED),
          RECEIVED, EnumSet.of(ACCEPTED, REJECTED),
          ACCEPTED, EnumSet.of(INPROGRESS, REJECTED),
          INPROGRESS, EnumSet.of(REJECTED));

  private static final Set<TaskStatus> NEEDS_PACKET = EnumSet.of(ACCEPTED, INPROGRESS);

  private static final Set<String> UNDELIVERED =
      Set.of(
          ReferralTasks.DELIVERY_QUEUED, ReferralTasks.DELIVERING, ReferralTasks.DELIVERY_FAILED);

  /** SecondLook's own extensions, e.g. when each status was reached; not the client's to edit. */
  private static final String SECONDLOOK_EXTENSIONS = "https://secondlook.health/fhir/";

  TaskWorkflow(IInterceptorService jpaInterceptorService) {
    jpaInterceptorService.registerInterceptor(this);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  void checkClientUpdate(IBaseResource previous, IBaseResource updated, RequestDetails request) {
    if (request instanceof ServletRequestDetails
        && previous instanceof Task stored
        && updated instanceof Task changed
        && isReferral(stored)) {
      check(stored, changed);
    }
  }

  static boolean isReferral(Task task) {
    return task.getInput().stream()
        .anyMatch(i -> ReferralTasks.SOURCE_EHR_INPUT.equals(i.getType().getText()));
  }

  private static void check(Task stored, Task changed) {
    String id = "Task/" + stored.getIdElement().getIdPart();
    List<String> unchangeable = unchangeableChanges(stored, changed);
    if (!unchangeable.isEmpty()) {
      refuse(
          IssueType.BUSINESSRULE,
          "%s: only status, statusReason, businessStatus (awaiting-information) and note can be changed by a client; this update also changes %s. The referral's request, subject, requester, owner, due date, inputs and outputs are SecondLook's."
              .formatted(id, String.join(", ", unchangeable)));
    }
    TaskStatus from = stored.getStatus();
    TaskStatus to = changed.getStatus();
    if (to == null || to == TaskStatus.NULL) {
      refuse(IssueType.REQUIRED, "%s: Task.status is required".formatted(id));
    }
    if (from != to) {
      checkTransition(id, stored, changed, from, to);
    }
    checkBusinessStatus(id, stored, changed);
  }

  private static void checkTransition(
      String id, Task stored, Task changed, TaskStatus from, TaskStatus to) {
    if (to == COMPLETED) {
      refuse(
          IssueType.BUSINESSRULE,
          "%s cannot be set to completed by an update: submit the review with POST /fhir/%s/$submit-review, which signs the feedback and completes the Task%s."
              .formatted(
                  id,
                  id,
                  EnumSet.of(ACCEPTED, INPROGRESS).contains(from)
                      ? ""
                      : " (it must be accepted first; it is '" + from.toCode() + "')"));
    }
    if (!CLIENT_TRANSITIONS.getOrDefault(from, Set.of()).contains(to)) {
      Set<TaskStatus> allowed = CLIENT_TRANSITIONS.getOrDefault(from, Set.of());
      refuse(
          IssueType.BUSINESSRULE,
          "%s cannot go from '%s' to '%s'. %s"
              .formatted(
                  id,
                  from.toCode(),
                  to.toCode(),
                  allowed.isEmpty()
                      ? "'" + from.toCode() + "' is final."
                      : "From '%s' it can go to: %s."
                          .formatted(
                              from.toCode(),
                              String.join(
                                  ", ", allowed.stream().map(TaskStatus::toCode).toList()))));
    }
    if (NEEDS_PACKET.contains(to)) {
      packetNotWithSpecialist(stored)
          .ifPresent(
              why ->
                  refuse(
                      IssueType.BUSINESSRULE,
                      "%s cannot be %s yet: %s".formatted(id, to.toCode(), why)));
    }
    if (to == REJECTED && !changed.getStatusReason().hasText()) {
      refuse(
          IssueType.REQUIRED,
          "%s: rejecting a referral needs a reason in Task.statusReason.text, which goes back to the referring team."
              .formatted(id));
    }
  }

  /**
   * A client may only set {@code awaiting-information} (asking the referrer for more, with the
   * items named in {@code statusReason}) while the review is underway; SecondLook's own progress
   * codes (pull, delivery, write-back) are not theirs to set.
   */
  private static void checkBusinessStatus(String id, Task stored, Task changed) {
    String before = ReferralTasks.progress(stored).orElse(null);
    String after = ReferralTasks.progress(changed).orElse(null);
    if (Objects.equals(before, after)) {
      return;
    }
    if (!ReferralTasks.AWAITING_INFORMATION.equals(after)) {
      refuse(
          IssueType.BUSINESSRULE,
          "%s: businessStatus '%s' is set by SecondLook; a client can set only '%s' (the specialist asks the referrer for named missing items)."
              .formatted(id, after == null ? "(none)" : after, ReferralTasks.AWAITING_INFORMATION));
    }
    if (!EnumSet.of(RECEIVED, ACCEPTED, INPROGRESS).contains(changed.getStatus())) {
      refuse(
          IssueType.BUSINESSRULE,
          "%s: information can be requested while the referral is received, accepted or in-progress, not '%s'."
              .formatted(id, changed.getStatus().toCode()));
    }
    if (!changed.getStatusReason().hasText()) {
      refuse(
          IssueType.REQUIRED,
          "%s: name the missing items in Task.statusReason.text (or use POST /fhir/%s/$request-information with packet-item codes)."
              .formatted(id, id));
    }
  }

  /** The names of the elements a client changed but may not change. */
  private static List<String> unchangeableChanges(Task stored, Task changed) {
    Task a = clientNeutral(stored);
    Task b = clientNeutral(changed);
    List<String> changes = new ArrayList<>();
    for (String element :
        List.of(
            "identifier",
            "instantiatesCanonical",
            "basedOn",
            "groupIdentifier",
            "partOf",
            "intent",
            "priority",
            "code",
            "description",
            "focus",
            "for",
            "encounter",
            "authoredOn",
            "requester",
            "owner",
            "reasonCode",
            "restriction",
            "input",
            "output",
            "extension")) {
      if (!sameValues(a, b, element)) {
        changes.add(element);
      }
    }
    return changes;
  }

  private static boolean sameValues(Task a, Task b, String element) {
    var left = a.getNamedProperty(element).getValues();
    var right = b.getNamedProperty(element).getValues();
    if (left.size() != right.size()) {
      return false;
    }
    for (int i = 0; i < left.size(); i++) {
      if (!left.get(i).equalsDeep(right.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** A copy without what clients may change, nor SecondLook's own bookkeeping extensions. */
  private static Task clientNeutral(Task task) {
    Task copy = task.copy();
    copy.getExtension()
        .removeIf(e -> e.getUrl() != null && e.getUrl().startsWith(SECONDLOOK_EXTENSIONS));
    return copy;
  }

  /**
   * Why the specialist cannot have read the referral's packet, if that is so: it is not made yet,
   * or it has not reached the recipient's system (still queued, being sent, or failed). Accepting,
   * starting and reviewing a referral all wait for it; a recipient without delivery reads the
   * packet on SecondLook as soon as it is made.
   */
  static Optional<String> packetNotWithSpecialist(Task task) {
    String progress = ReferralTasks.progress(task).orElse("none");
    if (ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT).isEmpty()) {
      return Optional.of(
          "its packet is not made (records: '%s'). It can be accepted once the packet is in Task.output."
              .formatted(progress));
    }
    if (UNDELIVERED.contains(progress)) {
      return Optional.of(
          "its packet has not reached the recipient's system (delivery: '%s'%s). The referral can go on once it is delivered; an operator can send it again with POST /fhir/Task/%s/$redeliver."
              .formatted(
                  progress,
                  task.getStatusReason().hasText() ? ", " + task.getStatusReason().getText() : "",
                  task.getIdElement().getIdPart()));
    }
    return Optional.empty();
  }

  private static void refuse(IssueType type, String message) {
    throw new UnprocessableEntityException(message, Outcomes.error(type, message));
  }
}
