package health.secondlook.server.review;

import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;
import static org.hl7.fhir.r4.model.Task.TaskStatus.ACCEPTED;
import static org.hl7.fhir.r4.model.Task.TaskStatus.INPROGRESS;
import static org.hl7.fhir.r4.model.Task.TaskStatus.RECEIVED;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.secondlook.server.fhir.Outcomes;
import health.secondlook.server.fhir.RequestProblems;
import health.secondlook.server.fhir.TransactionEntries;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.terminology.SiteContent;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Service;

/**
 * The specialist asks the referrer for more ({@code $request-information}): names the missing
 * packet items (codes of the packet-item CodeSystem) and adds a note. SecondLook stores the request
 * as a CommunicationRequest from the recipient to the referrer, links it from {@code Task.output},
 * and marks the referral {@code awaiting-information}; the request is queued to be written to the
 * referring EHR too (a {@code write-back-queued} tag). The referrer answers by adding the records
 * to the EHR and pulling again ({@code $rerun-pull}), which makes and delivers a new signed packet.
 */
@Service
class InformationRequests {

  static final String INFORMATION_REQUEST_SYSTEM =
      "https://secondlook.health/fhir/information-request";

  private final IFhirSystemDao<Bundle, ?> system;
  private final ReviewService reviews;
  private final Map<String, String> items = new LinkedHashMap<>();

  InformationRequests(
      IFhirSystemDao<Bundle, ?> system, ReviewService reviews, SiteContent content) {
    this.system = system;
    this.reviews = reviews;
    content.terminology().stream()
        .filter(r -> r instanceof CodeSystem cs && PACKET_ITEM_SYSTEM.equals(cs.getUrl()))
        .flatMap(r -> ((CodeSystem) r).getConcept().stream())
        .forEach(c -> items.put(c.getCode(), c.getDisplay()));
  }

  Task request(IdType taskId, Parameters parameters) {
    Task task = reviews.referralTask(taskId);
    String id = "Task/" + task.getIdElement().getIdPart();
    if (!EnumSet.of(RECEIVED, ACCEPTED, INPROGRESS).contains(task.getStatus())) {
      String message =
          "%s is '%s'; information can be requested while the referral is received, accepted or in-progress."
              .formatted(id, task.getStatus().toCode());
      throw new UnprocessableEntityException(
          message, Outcomes.error(IssueType.BUSINESSRULE, message));
    }
    List<String> asked = asked(parameters);

    Date now = new Date();
    CommunicationRequest request = new CommunicationRequest();
    request
        .addIdentifier()
        .setSystem(INFORMATION_REQUEST_SYSTEM)
        .setValue(UUID.randomUUID().toString());
    request.setStatus(CommunicationRequest.CommunicationRequestStatus.ACTIVE);
    request.addCategory().setText("Request for more information for a second opinion");
    if (task.hasPriority()) {
      request.setPriority(
          CommunicationRequest.CommunicationPriority.fromCode(task.getPriority().toCode()));
    }
    request.setSubject(task.getFor());
    request.addAbout(new Reference(id));
    request.addAbout(task.getFocus());
    request.addBasedOn(task.getFocus());
    request.setAuthoredOn(now);
    request.setRequester(task.getOwner());
    request.addRecipient(task.getRequester());
    request.setSender(task.getOwner());
    asked.forEach(a -> request.addPayload().setContent(new StringType(a)));
    // Queues its write-back to the referring EHR (writeback.InformationRequestQueue). The tag, not
    // the Task's businessStatus, which stays awaiting-information, tracks that write.
    request.getMeta().addTag(REFERRAL_PROGRESS_SYSTEM, ReferralTasks.WRITE_BACK_QUEUED, null);

    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String requestUrl = TransactionEntries.post(transaction, request);
    String summary = "The specialist asks for: " + String.join("; ", asked);
    task.getStatusReason().setText(summary);
    task.setLastModified(now);
    ReferralTasks.setOutput(
        task,
        ReferralTasks.INFORMATION_REQUEST_OUTPUT,
        new Reference(requestUrl).setDisplay("Request for more information"));
    ReferralTasks.setProgress(
        task,
        ReferralTasks.AWAITING_INFORMATION,
        summary + ". Add them to the EHR, then run $rerun-pull to send a new packet.");
    TransactionEntries.putIfMatch(transaction, task);
    system.transaction(new SystemRequestDetails(), transaction);
    return reviews.read(Task.class, id);
  }

  /** "Pathology report", "Treatment plan: …" and the note, or a 400 naming what is wrong. */
  private List<String> asked(Parameters parameters) {
    RequestProblems problems = new RequestProblems();
    List<String> asked = new ArrayList<>();
    String note = null;
    for (Parameters.ParametersParameterComponent p : parameters.getParameter()) {
      switch (String.valueOf(p.getName())) {
        case "item" -> {
          if (p.getValue() instanceof Coding coding
              && PACKET_ITEM_SYSTEM.equals(coding.getSystem())
              && items.containsKey(coding.getCode())) {
            asked.add(items.get(coding.getCode()));
          } else {
            problems.add(
                IssueType.CODEINVALID,
                "item",
                "a Coding from %s, one of: %s"
                    .formatted(PACKET_ITEM_SYSTEM, String.join(", ", items.keySet())));
          }
        }
        case "note" -> {
          if (p.hasValue()
              && p.getValue().isPrimitive()
              && !p.getValue().primitiveValue().isBlank()) {
            note = p.getValue().primitiveValue().strip();
          } else {
            problems.add(IssueType.STRUCTURE, "note", "must be a non-empty string");
          }
        }
        default ->
            problems.add(
                IssueType.NOTSUPPORTED,
                String.valueOf(p.getName()),
                "unknown parameter; $request-information takes item and note");
      }
    }
    if (asked.isEmpty() && note == null && problems.isEmpty()) {
      problems.add(
          IssueType.REQUIRED, "item", "name at least one missing packet item, or give a note");
    }
    problems.throwIfAny();
    if (note != null) {
      asked.add(note);
    }
    return asked;
  }
}
