package health.secondlook.server.writeback;

import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import health.secondlook.server.fhir.Outcomes;
import health.secondlook.server.referral.ReferralTasks;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.Handler;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

/**
 * The durable queue of specialists' requests for more information waiting to be written to the
 * referring EHR. The queue is the CommunicationRequest at SecondLook itself, not the referral Task,
 * whose {@code businessStatus} stays {@code awaiting-information} for everyone to see: a {@code
 * meta.tag} from the referral-progress CodeSystem says {@code write-back-queued}, then {@code
 * written-back} or {@code write-back-failed}, and the extension {@value #STATUS_EXTENSION} says in
 * words what was written where, or why not.
 *
 * <p>As in {@link WriteBackQueue}, claiming a request is a version-checked update (a concurrent
 * change wins, and the request is picked up at the next poll), the tag stays {@code
 * write-back-queued} until the write ends, so a restart resumes it, and one SecondLook instance per
 * database is assumed. An operator queues a request again with {@link #requeue} ({@code
 * CommunicationRequest/{id}/$retry-write-back}).
 */
@Component
class InformationRequestQueue {

  /** A string saying what became of the write to the EHR, for people. */
  static final String STATUS_EXTENSION =
      "https://secondlook.health/fhir/StructureDefinition/write-back-status";

  private final IFhirResourceDao<CommunicationRequest> requests;
  private final WriteBackProperties properties;
  private final WriteSlots slots = new WriteSlots();

  InformationRequestQueue(DaoRegistry daoRegistry, WriteBackProperties properties) {
    this.requests = daoRegistry.getResourceDao(CommunicationRequest.class);
    this.properties = properties;
  }

  @Handler
  List<String> claimWaiting() {
    return slots.fill(
        properties.concurrentWriteBacks(),
        this::waiting,
        r -> r.getIdElement().getIdPart(),
        this::claim);
  }

  /** The write of this request has ended, one way or another. */
  void finish(String requestId) {
    slots.release(requestId);
  }

  /**
   * Queues the write of an information request again, e.g. after the EHR was down: allowed for a
   * request made by {@code $request-information} whose write is not already waiting or running.
   * Since the write is a conditional create, a request already at the EHR is not made again.
   *
   * @throws PreconditionFailedException (412) saying why not
   */
  CommunicationRequest requeue(IdType requestId) {
    CommunicationRequest request = read(requestId.getIdPart());
    String id = "CommunicationRequest/" + requestId.getIdPart();
    if (!request.hasIdentifier() || InformationRequestContent.referralTask(request).isEmpty()) {
      throw refused(
          "%s is not a request for more information about a referral (those are made by Task/{id}/$request-information), so SecondLook has nothing to write back"
              .formatted(id));
    }
    String state = state(request).orElse("none");
    if (ReferralTasks.WRITE_BACK_QUEUED.equals(state) || slots.isRunning(requestId.getIdPart())) {
      throw refused(
          "%s is already being written to the referring EHR (%s)".formatted(id, text(request)));
    }
    update(
        requestId.getIdPart(),
        queued ->
            setState(
                queued,
                ReferralTasks.WRITE_BACK_QUEUED,
                "Write to the referring EHR queued again by an operator (was: %s)"
                    .formatted(state)));
    return read(requestId.getIdPart());
  }

  /** Where the request's write stands: the referral-progress tag's code, if any. */
  static Optional<String> state(CommunicationRequest request) {
    return request.getMeta().getTag().stream()
        .filter(t -> REFERRAL_PROGRESS_SYSTEM.equals(t.getSystem()))
        .map(t -> t.getCode())
        .findFirst();
  }

  static String text(CommunicationRequest request) {
    return Optional.ofNullable(request.getExtensionByUrl(STATUS_EXTENSION))
        .map(e -> e.getValue().primitiveValue())
        .orElse("");
  }

  /**
   * Sets the tag (or, with {@code null}, removes it: the request is not to be written at all) and
   * the words beside it.
   */
  static void setState(CommunicationRequest request, String code, String text) {
    request.getMeta().getTag().removeIf(t -> REFERRAL_PROGRESS_SYSTEM.equals(t.getSystem()));
    if (code != null) {
      request.getMeta().addTag(REFERRAL_PROGRESS_SYSTEM, code, null);
    }
    request.getExtension().removeIf(e -> STATUS_EXTENSION.equals(e.getUrl()));
    request.addExtension(STATUS_EXTENSION, new StringType(text));
  }

  /** Read-modify-write, again on a concurrent change, so the outcome is never lost. */
  void update(String requestId, Consumer<CommunicationRequest> change) {
    for (int attempt = 1; ; attempt++) {
      CommunicationRequest request = read(requestId);
      change.accept(request);
      try {
        requests.update(request, replacingTags());
        return;
      } catch (ResourceVersionConflictException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  CommunicationRequest read(String requestId) {
    return requests.read(new IdType("CommunicationRequest", requestId), new SystemRequestDetails());
  }

  private List<CommunicationRequest> waiting(int max) {
    SearchParameterMap map =
        SearchParameterMap.newSynchronous(
            "_tag", new TokenParam(REFERRAL_PROGRESS_SYSTEM, ReferralTasks.WRITE_BACK_QUEUED));
    int count = Math.min(max, 100);
    map.setSort(new SortSpec("_lastUpdated"));
    map.setCount(count);
    return requests.search(map, new SystemRequestDetails()).getResources(0, count).stream()
        .map(CommunicationRequest.class::cast)
        .toList();
  }

  /** Version-checked: false when the request changed since it was found. */
  private boolean claim(CommunicationRequest request) {
    setState(request, ReferralTasks.WRITE_BACK_QUEUED, "Being written to the referring EHR");
    try {
      requests.update(request, replacingTags());
      return true;
    } catch (ResourceVersionConflictException e) {
      return false;
    }
  }

  /**
   * HAPI keeps a stored resource's tags on update unless told the update's tags are all of them;
   * without this a request would stay tagged {@code write-back-queued} forever.
   */
  private static SystemRequestDetails replacingTags() {
    SystemRequestDetails details = new SystemRequestDetails();
    details.addHeader(JpaConstants.HEADER_META_SNAPSHOT_MODE, "TAG");
    return details;
  }

  private static PreconditionFailedException refused(String message) {
    OperationOutcome outcome = Outcomes.error(OperationOutcome.IssueType.BUSINESSRULE, message);
    return new PreconditionFailedException(message, outcome);
  }
}
