package health.secondlook.server.pull;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.mappings.CompletenessReport;
import health.secondlook.mappings.MappingProfile;
import health.secondlook.mappings.ReferenceFollower;
import health.secondlook.server.audit.AuditTrail;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.ehr.EhrEndpoint;
import health.secondlook.server.ehr.EhrFailures;
import health.secondlook.server.packet.PacketService;
import health.secondlook.server.referral.PatientQuestions;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.referral.TaskUpdates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Pulls one referral's records for the {@code pull-referral} route: runs the mapping profile's
 * searches in parallel, follows the references the packet needs (in rounds, each in parallel),
 * keeps only what belongs to the referral's patient, stores it, assesses completeness and records
 * the outcome on the referral Task; complete records also get their packet ({@link PacketService}).
 */
@Component
class PullRunner {

  private static final Logger log = LoggerFactory.getLogger(PullRunner.class);
  private static final Pattern COUNT = Pattern.compile("&?_count=[^&]*");

  private final AuditTrail audit;
  private final IFhirResourceDao<Task> tasks;
  private final IFhirResourceDao<ServiceRequest> serviceRequests;
  private final EhrDirectory ehrs;
  private final PullMappings mappings;
  private final ProducerTemplate producer;
  private final PulledRecordStore store;
  private final CompletenessReportWriter reports;
  private final RunningPulls running;
  private final PullProperties properties;
  private final PacketService packets;

  PullRunner(
      DaoRegistry daoRegistry,
      EhrDirectory ehrs,
      PullMappings mappings,
      ProducerTemplate producer,
      PulledRecordStore store,
      CompletenessReportWriter reports,
      RunningPulls running,
      PullProperties properties,
      PacketService packets,
      AuditTrail audit) {
    this.audit = audit;
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.serviceRequests = daoRegistry.getResourceDao(ServiceRequest.class);
    this.ehrs = ehrs;
    this.mappings = mappings;
    this.producer = producer;
    this.store = store;
    this.reports = reports;
    this.running = running;
    this.properties = properties;
    this.packets = packets;
  }

  @Handler
  void run(@Header(PullRoutes.TASK_ID_HEADER) String taskId) {
    Task task = read(taskId);
    String ehrName = ReferralTasks.sourceEhr(task);
    String patientId = ReferralTasks.sourcePatient(task);
    EhrEndpoint ehr =
        ehrs.find(ehrName)
            .orElseThrow(
                () -> new IllegalStateException("EHR '" + ehrName + "' is no longer configured"));
    PullMappings.Engine engine = mappings.forProfile(ehr.mapping());
    PullProgress progress = running.start(taskId);

    long started = System.nanoTime();
    Map<String, Resource> pulled = new LinkedHashMap<>();
    List<EhrRequest> requests = searches(engine.profile(), ehr, patientId);
    int round = 0;
    for (; !requests.isEmpty() && round <= properties.maxReferenceRounds(); round++) {
      List<Resource> fresh = new ArrayList<>();
      for (Resource resource : fetchAll(requests, taskId)) {
        if (PatientCompartment.belongs(resource, patientId, ehr.limits().maxBinaryBytes().toBytes())
            && pulled.putIfAbsent(PulledResourceMapper.key(resource), resource) == null) {
          fresh.add(resource);
        }
      }
      recordProgress(taskId, progress.describe());
      requests = references(fresh, engine.follower(), ehr, pulled.keySet());
    }

    long fetched = System.nanoTime();
    Reference patient = new Reference("Patient/" + LocalIds.of(ehrName, patientId));
    List<Resource> local =
        store.store(
            ehrName, ehr.baseUrl().toString(), pulled.values(), "pulled-" + taskId, patient);
    long stored = System.nanoTime();
    CompletenessReport report = engine.assessor().assess(local, hasQuestions(task));
    reports.write("completeness-" + taskId, report, patient, task.getFocus());
    finish(taskId, report, local.size());
    audit.step("pull", "Task/" + taskId, ehrName, null);
    log.info(
        "Pull of Task/{}: {} resources from EHR '{}' in {} rounds; fetched in {} ms, stored in {} ms, assessed and recorded in {} ms",
        taskId,
        local.size(),
        ehrName,
        round,
        (fetched - started) / 1_000_000,
        (stored - fetched) / 1_000_000,
        (System.nanoTime() - stored) / 1_000_000);
  }

  /** Marks the referral failed, with a reason a person can act on. */
  @Handler
  void failed(@Header(PullRoutes.TASK_ID_HEADER) String taskId, Exchange exchange) {
    Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    running.finish(taskId);
    if (exchange.getContext().isStopping()) {
      // Shutting down is not the EHR's fault: the Task stays "pulling" and resumes at next start.
      log.info("Pull of Task/{} interrupted by shutdown; it resumes at the next start", taskId);
      return;
    }
    Task task = read(taskId);
    String reason =
        causedByPacket(failure)
            ? "The records for %s were pulled from EHR '%s' and checked, but the packet could not be made: %s. Fix that (for a missing key: secondlook.signing.*), then run Task/%s/$rerun-pull."
                .formatted(
                    task.getFocus().getReference(),
                    ReferralTasks.sourceEhr(task),
                    rootMessage(failure),
                    taskId)
            : "Records could not be pulled from EHR '%s' for %s: %s. Check that the EHR is reachable and accepts SecondLook's credentials, then run Task/%s/$rerun-pull."
                .formatted(
                    ReferralTasks.sourceEhr(task),
                    task.getFocus().getReference(),
                    explain(failure),
                    taskId);
    log.warn("Pull of Task/{} failed: {}", taskId, reason, failure);
    audit.step("pull", "Task/" + taskId, ReferralTasks.sourceEhr(task), reason);
    TaskUpdates.apply(
        tasks,
        taskId,
        t -> {
          if (t.getStatus() == Task.TaskStatus.REQUESTED) {
            // Before the specialist took the referral, a failed pull fails it; afterwards (a pull
            // for information they asked for) the review goes on and only the progress says so.
            t.setStatus(Task.TaskStatus.FAILED);
          }
          t.getStatusReason().setText(reason);
          ReferralTasks.setProgress(t, ReferralTasks.PULL_FAILED, reason);
          return true;
        });
  }

  private List<Resource> fetchAll(List<EhrRequest> requests, String taskId) {
    List<?> perRequest =
        producer.requestBodyAndHeader(
            PullRoutes.FETCH_ALL, requests, PullRoutes.TASK_ID_HEADER, taskId, List.class);
    List<Resource> all = new ArrayList<>();
    for (Object resources : perRequest) {
      ((List<?>) resources).forEach(r -> all.add((Resource) r));
    }
    return all;
  }

  private static List<EhrRequest> searches(
      MappingProfile profile, EhrEndpoint ehr, String patientId) {
    return profile.searches().stream()
        .map(
            s ->
                s.interaction() == MappingProfile.Interaction.READ
                    ? EhrRequest.read(ehr.name(), s.request(patientId))
                    : EhrRequest.search(
                        ehr.name(), withPageSize(s.request(patientId), ehr.limits().pageSize())))
        .toList();
  }

  /** The EHR's configured page size decides {@code _count}, whatever the mapping wrote. */
  static String withPageSize(String query, int pageSize) {
    String withoutCount = COUNT.matcher(query).replaceAll("").replace("?&", "?");
    return withoutCount + (withoutCount.contains("?") ? "&" : "?") + "_count=" + pageSize;
  }

  /** Reads of the referenced resources not pulled yet that live at this EHR. */
  private List<EhrRequest> references(
      List<Resource> fresh, ReferenceFollower follower, EhrEndpoint ehr, Set<String> pulled) {
    String base = ehr.baseUrl().toString().replaceAll("/+$", "") + "/";
    Set<String> wanted = new LinkedHashSet<>();
    for (Resource resource : fresh) {
      for (ReferenceFollower.Target target : follower.targets(resource)) {
        String reference = target.reference();
        if (reference.startsWith(base)) {
          reference = reference.substring(base.length());
        }
        IdType id = new IdType(reference).toVersionless();
        if (reference.contains("://") || !id.hasResourceType() || !id.hasIdPart()) {
          continue; // another server's resource, or contained: not ours to fetch
        }
        if (target.fitsWithin(ehr.limits().maxBinaryBytes().toBytes())) {
          wanted.add(id.getResourceType() + "/" + id.getIdPart());
        }
      }
    }
    wanted.removeAll(pulled);
    return wanted.stream()
        .map(key -> EhrRequest.read(ehr.name(), key))
        .collect(Collectors.toList());
  }

  private void recordProgress(String taskId, String text) {
    TaskUpdates.apply(
        tasks,
        taskId,
        t -> {
          ReferralTasks.setProgress(t, ReferralTasks.PULLING, text);
          return true;
        });
  }

  /**
   * Records the pull's outcome, with the packet when the records are complete. The packet is made
   * once, before the Task is saved, so saving again after a concurrent change does not make a
   * second one.
   */
  private void finish(String taskId, CompletenessReport report, int count) {
    running.finish(taskId);
    String packet = null;
    if (report.complete()) {
      Task pulled = read(taskId);
      linkRecords(pulled, taskId);
      try {
        packet = packets.makePacket(pulled);
      } catch (RuntimeException e) {
        throw new PacketNotMadeException(e);
      }
    }
    String packetReference = packet;
    String missing =
        report.missing().stream()
            .map(CompletenessReport.Item::display)
            .collect(Collectors.joining(", "));
    TaskUpdates.apply(
        tasks,
        taskId,
        task -> {
          linkRecords(task, taskId);
          if (packetReference != null) {
            ReferralTasks.setProgress(
                task, ReferralTasks.RECORDS_COMPLETE, "Records complete: " + count + " pulled");
            packets.linkPacket(task, packetReference);
          } else {
            ReferralTasks.setProgress(
                task,
                ReferralTasks.RECORDS_INCOMPLETE,
                "Records incomplete (" + count + " pulled). Missing: " + missing);
          }
          return true;
        });
  }

  private static void linkRecords(Task task, String taskId) {
    ReferralTasks.setOutput(
        task, ReferralTasks.PULLED_RECORDS_OUTPUT, new Reference("List/pulled-" + taskId));
    ReferralTasks.setOutput(
        task,
        ReferralTasks.COMPLETENESS_REPORT_OUTPUT,
        new Reference("Composition/completeness-" + taskId));
  }

  /** Whether the referral came with the patient's questions, which the report counts too. */
  private boolean hasQuestions(Task task) {
    ServiceRequest referral =
        serviceRequests.read(
            new IdType(task.getFocus().getReference()).toVersionless(), new SystemRequestDetails());
    return PatientQuestions.reference(referral).isPresent();
  }

  private Task read(String taskId) {
    return tasks.read(new IdType("Task", taskId), new SystemRequestDetails());
  }

  private static boolean causedByPacket(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PacketNotMadeException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** The records were pulled and stored; making, signing or storing the packet failed. */
  static final class PacketNotMadeException extends RuntimeException {
    PacketNotMadeException(Throwable cause) {
      super("packet not made: " + cause.getMessage(), cause);
    }
  }

  private static String explain(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PullRequestFailedException) {
        return t.getMessage();
      }
    }
    return EhrFailures.describe(failure);
  }
}
