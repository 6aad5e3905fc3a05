package health.secondlook.server.packet;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import health.secondlook.server.audit.AuditTrail;
import health.secondlook.server.delivery.Deliveries;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.fhir.Outcomes;
import health.secondlook.server.referral.PatientQuestions;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.referral.TaskUpdates;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Service;

/**
 * Makes a referral's packet once its records are ready: when a pull ends with every required record
 * ({@link #makePacket}, then {@link #linkPacket}), or when the referrer proceeds without the
 * missing ones ({@link #proceed}). The packet is assembled from what is stored, signed, stored as a
 * new {@code Bundle}, and linked from the ServiceRequest's {@code supportingInfo} and the Task's
 * {@code packet} output. Each pull makes a new packet with a new identifier, whose Composition says
 * which packet it replaces; earlier ones stay stored unchanged. If the referral's recipient gets
 * its packets delivered, each new packet is queued for delivery.
 */
@Service
public class PacketService {

  private static final SystemRequestDetails SYSTEM = new SystemRequestDetails();

  private final AuditTrail audit;
  private final DaoRegistry daoRegistry;
  private final IFhirResourceDao<Task> tasks;
  private final IFhirResourceDao<ServiceRequest> serviceRequests;
  private final IFhirResourceDao<Bundle> bundles;
  private final EhrDirectory ehrs;
  private final PacketAssembler assembler;
  private final PacketSigning signing;
  private final SecondLookBaseUrl baseUrl;
  private final Deliveries deliveries;

  PacketService(
      DaoRegistry daoRegistry,
      EhrDirectory ehrs,
      PacketAssembler assembler,
      PacketSigning signing,
      SecondLookBaseUrl baseUrl,
      Deliveries deliveries,
      AuditTrail audit) {
    this.audit = audit;
    this.daoRegistry = daoRegistry;
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.serviceRequests = daoRegistry.getResourceDao(ServiceRequest.class);
    this.bundles = daoRegistry.getResourceDao(Bundle.class);
    this.ehrs = ehrs;
    this.assembler = assembler;
    this.signing = signing;
    this.baseUrl = baseUrl;
    this.deliveries = deliveries;
  }

  /**
   * Makes, signs and stores the packet for {@code task}'s pulled records and completeness report,
   * and points the ServiceRequest at it; the caller then records it on the Task with {@link
   * #linkPacket}, as many times as saving the Task takes.
   *
   * @return the packet's reference, {@code Bundle/{id}}
   */
  public String makePacket(Task task) {
    return storePacket(task);
  }

  /**
   * Records the packet as the Task's {@code packet} output and, if the recipient gets its packets
   * delivered, queues its delivery.
   */
  public void linkPacket(Task task, String packetReference) {
    ReferralTasks.setOutput(task, ReferralTasks.PACKET_OUTPUT, new Reference(packetReference));
    deliveries.queueNewPacket(task);
  }

  /**
   * The referrer's decision to go ahead although records are missing: allowed only while the
   * referral's records are incomplete; the packet's completeness section names what is missing.
   */
  Task proceed(IdType taskId) {
    Task task = tasks.read(taskId.toVersionless(), SYSTEM);
    String progress = ReferralTasks.progress(task).orElse("none");
    if (!ReferralTasks.RECORDS_INCOMPLETE.equals(progress)) {
      String message =
          "Task/%s: its records are '%s'; $proceed is for a referral whose records are '%s'. A packet is made by itself once the records are complete."
              .formatted(taskId.getIdPart(), progress, ReferralTasks.RECORDS_INCOMPLETE);
      OperationOutcome outcome = Outcomes.error(OperationOutcome.IssueType.BUSINESSRULE, message);
      throw new PreconditionFailedException(message, outcome);
    }
    String text =
        "Proceeding with incomplete records at the referrer's request; the packet's completeness section names what is missing";
    // Set before assembly too: the packet's completeness section says the referrer chose this.
    ReferralTasks.setProgress(task, ReferralTasks.PROCEEDING_INCOMPLETE, text);
    String packet = storePacket(task);
    TaskUpdates.apply(
        tasks,
        taskId.getIdPart(),
        t -> {
          ReferralTasks.setProgress(t, ReferralTasks.PROCEEDING_INCOMPLETE, text);
          linkPacket(t, packet);
          return true;
        });
    return tasks.read(taskId.toVersionless(), SYSTEM);
  }

  private String storePacket(Task task) {
    ServiceRequest serviceRequest = read(ServiceRequest.class, task.getFocus().getReference());
    Optional<QuestionnaireResponse> questions =
        PatientQuestions.reference(serviceRequest).map(r -> read(QuestionnaireResponse.class, r));
    ListResource pulled =
        read(ListResource.class, output(task, ReferralTasks.PULLED_RECORDS_OUTPUT));
    String ehrName = ReferralTasks.sourceEhr(task);
    String ehrBase =
        ehrs.find(ehrName)
            .orElseThrow(
                () ->
                    new UnclassifiedServerFailureException(
                        503,
                        "The referral's EHR '%s' is no longer configured: set secondlook.ehrs.%s.base-url to make its packet"
                            .formatted(ehrName, ehrName)))
            .baseUrl()
            .toString();

    PacketSources sources =
        new PacketSources(
            serviceRequest,
            task,
            questions,
            read(Patient.class, task.getFor().getReference()),
            records(pulled),
            read(Composition.class, output(task, ReferralTasks.COMPLETENESS_REPORT_OUTPUT)),
            new PacketSources.SourceEhr(ehrName, ehrBase),
            baseUrl.get());
    Bundle assembled = assembler.assemble(sources);
    ReferralTasks.output(task, ReferralTasks.PACKET_OUTPUT)
        .map(previous -> read(Bundle.class, previous))
        .ifPresent(previous -> replaces(assembled, previous));
    Bundle packet = signing.sign(assembled);
    String packetReference = "Bundle/" + bundles.create(packet, SYSTEM).getId().getIdPart();
    audit.step("sign", "Task/" + task.getIdElement().getIdPart(), ehrName, null);

    // The referral points at its newest packet; earlier ones stay readable by their own id.
    serviceRequest
        .getSupportingInfo()
        .removeIf(r -> r.hasReference() && r.getReference().startsWith("Bundle/"));
    serviceRequest.addSupportingInfo(
        new Reference(packetReference).setDisplay("Second-opinion packet"));
    serviceRequests.update(serviceRequest, SYSTEM);
    return packetReference;
  }

  /**
   * A new packet for a referral that already had one (e.g. after the specialist asked for more)
   * says which packet it replaces, so the specialist's system can tell the versions apart.
   */
  private static void replaces(Bundle packet, Bundle previous) {
    ((Composition) packet.getEntryFirstRep().getResource())
        .addRelatesTo()
        .setCode(Composition.DocumentRelationshipType.REPLACES)
        .setTarget(previous.getIdentifier().copy());
  }

  private List<Resource> records(ListResource pulled) {
    return pulled.getEntry().stream()
        .map(e -> read(Resource.class, e.getItem().getReference()))
        .toList();
  }

  private String output(Task task, String code) {
    return ReferralTasks.output(task, code)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Task/%s has no '%s' output".formatted(task.getIdElement().getIdPart(), code)));
  }

  private <T extends Resource> T read(Class<T> type, String reference) {
    IdType id = new IdType(reference).toVersionless();
    return type.cast(daoRegistry.getResourceDao(id.getResourceType()).read(id, SYSTEM));
  }
}
