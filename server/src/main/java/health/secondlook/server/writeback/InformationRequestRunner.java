package health.secondlook.server.writeback;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.mappings.WriteBack;
import health.secondlook.server.audit.AuditTrail;
import health.secondlook.server.ehr.EhrEndpoint;
import health.secondlook.server.ehr.EhrFailures;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.writeback.WriteBackRunner.WriteBackImpossibleException;
import java.util.List;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes one request for more information to the referring EHR of its referral, for the {@code
 * information-request-write-back} route: finds the referral Task it is about, the EHR the records
 * came from and that EHR's mapping, builds what the mapping asks for ({@link
 * InformationRequestContent}), and sends it as one conditional create through the retrying {@code
 * ehr-write} route. It records the result on the request at SecondLook ({@link
 * InformationRequestQueue}): {@code written-back} with the EHR's id, or, after the retries, {@code
 * write-back-failed} with the reason. A mapping without {@code writeBack.informationRequest} leaves
 * requests at SecondLook: the tag is removed, and the extension says so. The referral Task is not
 * touched: its {@code businessStatus} stays {@code awaiting-information}.
 */
@Component
class InformationRequestRunner {

  private static final Logger log = LoggerFactory.getLogger(InformationRequestRunner.class);

  private final AuditTrail audit;
  private final DaoRegistry daoRegistry;
  private final WriteBackTargets targets;
  private final ProducerTemplate producer;
  private final InformationRequestQueue queue;

  InformationRequestRunner(
      DaoRegistry daoRegistry,
      WriteBackTargets targets,
      ProducerTemplate producer,
      InformationRequestQueue queue,
      AuditTrail audit) {
    this.audit = audit;
    this.daoRegistry = daoRegistry;
    this.targets = targets;
    this.producer = producer;
    this.queue = queue;
  }

  @Handler
  void run(@Header(InformationRequestRoutes.REQUEST_ID_HEADER) String requestId) {
    write(requestId);
    // Not in a finally: on failure, failed() releases the claim once the request says so.
    queue.finish(requestId);
  }

  /**
   * Marks the write failed, with a reason a person can act on. The claim is released only after the
   * request says so, or the next poll would take the still-queued request up again.
   */
  @Handler
  void failed(
      @Header(InformationRequestRoutes.REQUEST_ID_HEADER) String requestId, Exchange exchange) {
    try {
      recordFailure(requestId, exchange);
    } finally {
      queue.finish(requestId);
    }
  }

  private void write(String requestId) {
    CommunicationRequest asked = queue.read(requestId);
    Task referral = referral(asked);
    WriteBackTargets.Target target = targets.of(referral);
    String ehrName = target.name();
    EhrEndpoint ehr = target.ehr();
    WriteBack mapping = target.mapping();
    if (mapping.informationRequest() == null) {
      queue.update(
          requestId,
          left ->
              InformationRequestQueue.setState(
                  left,
                  null,
                  "Not written to EHR '%s': its mapping profile '%s' has no writeBack.informationRequest; the referrer sees the request at SecondLook (Task.output information-request)"
                      .formatted(ehrName, ehr.mapping())));
      log.info(
          "Information request CommunicationRequest/{} not written to EHR '{}': mapping '{}' writes none",
          requestId,
          ehrName,
          ehr.mapping());
      return;
    }
    Resource resource =
        InformationRequestContent.build(
            asked,
            referral,
            read(ServiceRequest.class, referral.getFocus().getReference()),
            ReferralTasks.sourcePatient(referral),
            mapping.informationRequest());
    Written written =
        send(
            new EhrWrite(
                ehrName,
                EhrWrite.Kind.CREATE,
                resource,
                InformationRequestContent.condition(asked)));
    String summary =
        "Written to EHR '%s' (%s): %s (%s)"
            .formatted(
                ehrName,
                ehr.baseUrl(),
                written.reference(),
                written.created() ? "made" : "already there");
    queue.update(
        requestId,
        done -> InformationRequestQueue.setState(done, ReferralTasks.WRITTEN_BACK, summary));
    audit.step("information-request", "Task/" + referral.getIdElement().getIdPart(), ehrName, null);
    log.info("Information request CommunicationRequest/{}: {}", requestId, summary);
  }

  private void recordFailure(String requestId, Exchange exchange) {
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    if (exchange.getContext().isStopping()) {
      // Not the EHR's fault: the request stays queued and is written at the next start.
      log.info(
          "Write of CommunicationRequest/{} interrupted by shutdown; it resumes at the next start",
          requestId);
      return;
    }
    String where = "the referring EHR";
    try {
      where = targets.describe(referral(queue.read(requestId)));
    } catch (RuntimeException e) {
      // The failure itself says what is missing.
    }
    String reason =
        "The request for more information could not be written to %s: %s. %s then run CommunicationRequest/%s/$retry-write-back."
            .formatted(
                where,
                explain(failure),
                failure instanceof WriteBackImpossibleException
                    ? "Fix that,"
                    : "Check that the EHR is reachable and accepts SecondLook's writes,",
                requestId);
    log.warn("Write of CommunicationRequest/{} failed: {}", requestId, reason, failure);
    audit.step("information-request", "CommunicationRequest/" + requestId, null, reason);
    queue.update(
        requestId,
        failed ->
            InformationRequestQueue.setState(failed, ReferralTasks.WRITE_BACK_FAILED, reason));
  }

  private Task referral(CommunicationRequest asked) {
    String reference =
        InformationRequestContent.referralTask(asked)
            .orElseThrow(
                () ->
                    new WriteBackImpossibleException(
                        "CommunicationRequest/%s is about no referral Task"
                            .formatted(asked.getIdElement().getIdPart())));
    return read(Task.class, reference);
  }

  @SuppressWarnings("unchecked")
  private Written send(EhrWrite write) {
    try {
      return ((List<Written>) producer.requestBody(WriteBackRoutes.WRITE, write, List.class))
          .get(0);
    } catch (CamelExecutionException e) {
      throw new WriteRequestFailedException(write, e.getCause() != null ? e.getCause() : e);
    }
  }

  private <T extends Resource> T read(Class<T> type, String reference) {
    IdType id = new IdType(reference).toVersionless();
    return type.cast(
        daoRegistry.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails()));
  }

  private static String explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof WriteRequestFailedException || t instanceof WriteBackImpossibleException) {
        return t.getMessage();
      }
    }
    return EhrFailures.describe(failure);
  }
}
