package health.secondlook.server.security;

import ca.uhn.fhir.context.ConfigurationException;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import health.secondlook.server.pull.PulledResourceMapper;
import health.secondlook.server.referral.ReferralTasks;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Marks every record SecondLook stores with the organisations it belongs to, as security labels
 * ({@code meta.security}) that {@link FhirAccessRules} then checks on every read: the referring
 * organisation on its referral Task and everything pulled from its EHR or made for the referral,
 * and the receiving organisation on the Task addressed to it and on what that Task hands over (the
 * patient, the request, the packet, the review, requests for information). The labels are worked
 * out from the record itself each time it is stored, so a client cannot add or remove one.
 */
@Component
@Interceptor
public class PartyLabels {

  public static final String REFERRER_SYSTEM = "https://secondlook.health/fhir/security/referrer";
  public static final String RECIPIENT_SYSTEM = "https://secondlook.health/fhir/security/recipient";
  private static final String EHR_PATIENT_SYSTEM = "https://secondlook.health/fhir/ehr/";
  private static final Set<String> SYSTEMS = Set.of(REFERRER_SYSTEM, RECIPIENT_SYSTEM);

  /** What a referral Task hands to its recipient, besides the patient and the request. */
  private static final Set<String> HANDED_OVER =
      Set.of(
          ReferralTasks.PACKET_OUTPUT,
          ReferralTasks.FEEDBACK_OUTPUT,
          ReferralTasks.INFORMATION_REQUEST_OUTPUT,
          ReferralTasks.COMPLETENESS_REPORT_OUTPUT);

  private final DaoRegistry daos;
  private final FhirContext fhir;

  PartyLabels(IInterceptorService jpaInterceptorService, DaoRegistry daos) {
    this.daos = daos;
    this.fhir = daos.getSystemDao().getContext();
    jpaInterceptorService.registerInterceptor(this);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  void created(IBaseResource resource, RequestDetails request) {
    label((Resource) resource, null, request);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
    label((Resource) resource, (Resource) previous, request);
  }

  /** A referral Task passes its labels on to what it hands over, once they are all stored. */
  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  void createdCommitting(IBaseResource resource) {
    handOver(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  void updatedCommitting(IBaseResource previous, IBaseResource resource) {
    // Most updates are progress notes: with the same labels and the same things handed over,
    // those already carry the labels, and reading them all again on every update is wasted.
    if (!(previous instanceof Task before && resource instanceof Task after)
        || !of(before).equals(of(after))
        || !handedOver(before).equals(handedOver(after))) {
      handOver(resource);
    }
  }

  /** The organisation labels on a stored record. */
  public static Set<Coding> of(IBaseResource resource) {
    Set<Coding> labels = new LinkedHashSet<>();
    for (Coding c : ((Resource) resource).getMeta().getSecurity()) {
      if (SYSTEMS.contains(c.getSystem()) && c.hasCode()) {
        labels.add(new Coding(c.getSystem(), c.getCode(), null));
      }
    }
    return labels;
  }

  public static boolean carries(IBaseResource resource, String system, String organization) {
    return ((Resource) resource)
        .getMeta().getSecurity().stream()
            .anyMatch(c -> system.equals(c.getSystem()) && organization.equals(c.getCode()));
  }

  private void label(Resource resource, Resource previous, RequestDetails request) {
    Set<String> labels = new LinkedHashSet<>();
    if (previous != null) {
      of(previous).forEach(c -> labels.add(key(c)));
    }
    boolean trusted =
        !(request instanceof ServletRequestDetails)
            || CallerAuthentication.current().filter(c -> c.is(CallerRole.OPERATOR)).isPresent();
    if (trusted) {
      of(resource).forEach(c -> labels.add(key(c)));
    }
    labels.addAll(derived(resource));
    if (resource instanceof Subscription && !trusted) {
      // A party's own Subscription: only it sees and changes it.
      CallerAuthentication.current()
          .filter(c -> c.organization().isPresent())
          .ifPresent(
              c ->
                  labels.add(
                      (c.is(CallerRole.REFERRER) ? REFERRER_SYSTEM : RECIPIENT_SYSTEM)
                          + "|"
                          + c.org()));
    }
    resource.getMeta().getSecurity().removeIf(c -> SYSTEMS.contains(c.getSystem()));
    for (String label : labels) {
      String[] parts = label.split("\\|", 2);
      resource.getMeta().addSecurity(parts[0], parts[1], null);
    }
  }

  /** The labels the record's own content calls for. */
  private Set<String> derived(Resource resource) {
    Set<String> labels = new LinkedHashSet<>();
    resource.getMeta().getTag().stream()
        .filter(
            t -> PulledResourceMapper.SOURCE_EHR_TAG_SYSTEM.equals(t.getSystem()) && t.hasCode())
        .forEach(t -> labels.add(REFERRER_SYSTEM + "|" + t.getCode()));
    if (resource instanceof Task task && task.hasInput()) {
      task.getInput().stream()
          .filter(i -> ReferralTasks.SOURCE_EHR_INPUT.equals(i.getType().getText()))
          .map(i -> i.getValue().primitiveValue())
          .filter(v -> v != null && !v.isBlank())
          .forEach(ehr -> labels.add(REFERRER_SYSTEM + "|" + ehr));
      ReferralTasks.recipient(task).ifPresent(r -> labels.add(RECIPIENT_SYSTEM + "|" + r));
    } else if (resource instanceof Patient patient) {
      patient.getIdentifier().stream()
          .map(i -> i.getSystem())
          .filter(s -> s != null && s.startsWith(EHR_PATIENT_SYSTEM) && s.endsWith("/Patient"))
          .map(s -> s.substring(EHR_PATIENT_SYSTEM.length(), s.length() - "/Patient".length()))
          .forEach(ehr -> labels.add(REFERRER_SYSTEM + "|" + ehr));
    } else if (labels.isEmpty()) {
      // Made for a referral (its request, the patient's questions, the completeness report): the
      // referrer's, like the patient it is about.
      patientOf(resource)
          .flatMap(this::stored)
          .ifPresent(
              p ->
                  of(p).stream()
                      .filter(c -> REFERRER_SYSTEM.equals(c.getSystem()))
                      .forEach(c -> labels.add(key(c))));
      if (resource instanceof Provenance provenance) {
        // Whoever may see a record may see where it came from.
        provenance
            .getTarget()
            .forEach(t -> stored(t).ifPresent(r -> of(r).forEach(c -> labels.add(key(c)))));
      }
      if (resource instanceof Binary binary && binary.hasSecurityContext()) {
        stored(binary.getSecurityContext()).ifPresent(t -> of(t).forEach(c -> labels.add(key(c))));
      }
    }
    return labels;
  }

  private Optional<Reference> patientOf(Resource resource) {
    for (String path : List.of("subject", "patient", "for")) {
      if (fhir.getResourceDefinition(resource).getChildByName(path) == null) {
        continue;
      }
      for (Reference ref : fhir.newTerser().getValues(resource, path, Reference.class)) {
        if (ref.getReferenceElement().getResourceType() != null
            && "Patient".equals(ref.getReferenceElement().getResourceType())) {
          return Optional.of(ref);
        }
      }
    }
    return Optional.empty();
  }

  private void handOver(IBaseResource resource) {
    if (!(resource instanceof Task task) || !isReferral(task)) {
      return;
    }
    Set<Coding> labels = of(task);
    if (labels.isEmpty()) {
      return;
    }
    for (Reference target : targets(task)) {
      stored(target)
          .ifPresent(
              r -> {
                add(r, labels, true);
                // The request's supporting information: the patient's questions, the packet.
                if (r instanceof ServiceRequest request) {
                  request
                      .getSupportingInfo()
                      .forEach(i -> stored(i).ifPresent(x -> add(x, labels, true)));
                }
              });
    }
  }

  /** What the Task hands to its recipient: patient, request and the outputs it may read. */
  private static List<Reference> targets(Task task) {
    List<Reference> targets = new ArrayList<>(List.of(task.getFor(), task.getFocus()));
    for (Task.TaskOutputComponent output : task.getOutput()) {
      if (output.getValue() instanceof Reference ref
          && output.getType().getCoding().stream()
              .anyMatch(c -> HANDED_OVER.contains(c.getCode()))) {
        targets.add(ref);
      }
    }
    return targets;
  }

  private static List<String> handedOver(Task task) {
    return targets(task).stream().map(Reference::getReference).toList();
  }

  /** Adds the labels a stored record lacks; a packet's Binary attachments get them too. */
  private void add(Resource target, Set<Coding> labels, boolean withAttachments) {
    Set<Coding> missing = new LinkedHashSet<>(labels);
    missing.removeAll(of(target));
    if (!missing.isEmpty()) {
      Meta meta = new Meta();
      missing.forEach(meta::addSecurity);
      dao(target.fhirType())
          .metaAddOperation(
              target.getIdElement().toUnqualifiedVersionless(), meta, new SystemRequestDetails());
    }
    if (withAttachments && "Bundle".equals(target.fhirType())) {
      for (Attachment a :
          fhir.newTerser().getAllPopulatedChildElementsOfType(target, Attachment.class)) {
        if (a.hasUrl() && a.getUrl().contains("/Binary/")) {
          String id =
              a.getUrl().substring(a.getUrl().lastIndexOf("/Binary/") + "/Binary/".length());
          stored(new Reference("Binary/" + id)).ifPresent(b -> add(b, labels, false));
        }
      }
    }
  }

  private Optional<Resource> stored(Reference reference) {
    IdType id = new IdType(reference.getReference() == null ? "" : reference.getReference());
    if (!id.hasResourceType()
        || !id.hasIdPart()
        || id.isAbsolute()
        || id.getIdPart().startsWith("urn:")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          (Resource)
              dao(id.getResourceType())
                  .read(id.toUnqualifiedVersionless(), new SystemRequestDetails()));
    } catch (BaseServerResponseException | IllegalArgumentException | ConfigurationException e) {
      // not stored here (or not a FHIR type): nothing to label
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  private IFhirResourceDao<IBaseResource> dao(String type) {
    return (IFhirResourceDao<IBaseResource>) daos.getResourceDao(type);
  }

  private static boolean isReferral(Task task) {
    return task.getInput().stream()
        .anyMatch(i -> ReferralTasks.SOURCE_EHR_INPUT.equals(i.getType().getText()));
  }

  private static String key(Coding c) {
    return c.getSystem() + "|" + c.getCode();
  }
}
