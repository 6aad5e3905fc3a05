package health.secondlook.server.referral;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import health.secondlook.server.fhir.Outcomes;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Service;

/**
 * Takes a checked second-opinion request and stores its referral: the patient as known so far, the
 * patient's questions, the ServiceRequest and its Task, which queues the records pull. A repeated
 * submission (same request identifier) returns the referral already stored; a second open referral
 * for the same patient is refused, naming the open one, because the aim is one careful review
 * rather than many.
 */
@Service
class ReferralService {

  private static final List<String> OPEN_STATUSES =
      List.of("draft", "requested", "received", "accepted", "ready", "in-progress", "on-hold");

  private final IFhirSystemDao<Bundle, Meta> systemDao;
  private final IFhirResourceDao<ServiceRequest> serviceRequests;
  private final IFhirResourceDao<Task> tasks;
  private final SourcePatientLookup patients;
  private final ReferralFactory factory;

  ReferralService(
      IFhirSystemDao<Bundle, Meta> systemDao,
      DaoRegistry daoRegistry,
      SourcePatientLookup patients,
      ReferralFactory factory) {
    this.systemDao = systemDao;
    this.serviceRequests = daoRegistry.getResourceDao(ServiceRequest.class);
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.patients = patients;
    this.factory = factory;
  }

  Referral submit(SecondOpinionRequest request) {
    Identifier identifier =
        request
            .requestIdentifier()
            .orElseGet(
                () ->
                    new Identifier()
                        .setSystem("urn:ietf:rfc:3986")
                        .setValue("urn:uuid:" + UUID.randomUUID()));
    Optional<Referral> replay = findByIdentifier(identifier);
    if (replay.isPresent()) {
      return replay.get();
    }
    SourcePatientLookup.Found patient = patients.lookUp(request.source(), request.patientId());
    Optional<Task> open = findOpen("Patient/" + patient.localId());
    if (open.isPresent()) {
      // The same request sent twice at once: the other copy may have been stored meanwhile.
      return findByIdentifier(identifier).orElseThrow(() -> duplicate(open.get(), request));
    }

    Bundle transaction = factory.transaction(request, identifier, patient);
    try {
      systemDao.transaction(new SystemRequestDetails(), transaction);
    } catch (ResourceVersionConflictException e) {
      // The same request arrived twice at once and the other copy was stored first.
      return findByIdentifier(identifier).orElseThrow(() -> e);
    }
    return findByIdentifier(identifier).orElseThrow();
  }

  private Optional<Referral> findByIdentifier(Identifier identifier) {
    TokenParam token = new TokenParam(identifier.getSystem(), identifier.getValue());
    Optional<ServiceRequest> serviceRequest =
        first(serviceRequests, SearchParameterMap.newSynchronous("identifier", token));
    Optional<Task> task = first(tasks, SearchParameterMap.newSynchronous("identifier", token));
    return serviceRequest.flatMap(sr -> task.map(t -> new Referral(sr, t)));
  }

  private Optional<Task> findOpen(String patientReference) {
    TokenOrListParam open = new TokenOrListParam();
    OPEN_STATUSES.forEach(s -> open.add(new TokenParam(s)));
    SearchParameterMap map =
        SearchParameterMap.newSynchronous("patient", new ReferenceParam(patientReference))
            .add("status", open);
    return first(tasks, map);
  }

  private static ResourceVersionConflictException duplicate(
      Task open, SecondOpinionRequest request) {
    String message =
        "An open second-opinion referral already exists for patient '%s' at EHR '%s': %s (status %s, focus %s). Add to that referral instead of starting another review."
            .formatted(
                request.patientId(),
                request.source(),
                open.getIdElement().toUnqualifiedVersionless().getValue(),
                open.getStatus().toCode(),
                open.getFocus().getReference());
    OperationOutcome outcome = Outcomes.error(OperationOutcome.IssueType.DUPLICATE, message);
    return new ResourceVersionConflictException(message, outcome);
  }

  private static <T extends Resource> Optional<T> first(
      IFhirResourceDao<T> dao, SearchParameterMap map) {
    map.setCount(1);
    @SuppressWarnings("unchecked")
    List<T> found =
        (List<T>) (List<?>) dao.search(map, new SystemRequestDetails()).getResources(0, 1);
    return found.stream().findFirst();
  }
}
