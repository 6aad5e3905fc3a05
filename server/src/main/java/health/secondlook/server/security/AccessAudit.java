package health.secondlook.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.FhirTerser;
import health.secondlook.server.audit.AuditTrail;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

/**
 * Records each FHIR API interaction with records in the {@link AuditTrail}: who (the caller's
 * organisation and client), what (the resource, or the search), whose data (the patients in the
 * answer), from where, and whether it was answered or refused. The CapabilityStatement and shared
 * definitions (terminology) are not patient data and are not recorded.
 */
@Component
@Interceptor
class AccessAudit {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AccessAudit.class);

  private final AuditTrail trail;
  private final FhirTerser terser;

  AccessAudit(RestfulServer fhirRestfulServer, AuditTrail trail) {
    this.trail = trail;
    this.terser = fhirRestfulServer.getFhirContext().newTerser();
    fhirRestfulServer.registerInterceptor(this);
  }

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  boolean answered(RequestDetails request, IBaseResource response) {
    if (recorded(request)) {
      Set<String> patients = new LinkedHashSet<>();
      if (response instanceof Bundle bundle) {
        bundle.getEntry().forEach(e -> patientsOf(e.getResource(), patients));
      } else {
        patientsOf(response, patients);
      }
      trail.access(
          actor(request), interaction(request), what(request), patients, query(request), null);
    }
    return true;
  }

  @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
  boolean refused(RequestDetails request, BaseServerResponseException problem) {
    if ((problem.getStatusCode() == 401 || problem.getStatusCode() == 403) && recorded(request)) {
      refusal(request, problem);
    }
    return true;
  }

  /**
   * A refusal is recorded too; if that fails, the refusal still goes out (it discloses nothing) and
   * the failure is logged. An answer, by contrast, is not sent unless its access was recorded.
   */
  private void refusal(RequestDetails request, BaseServerResponseException problem) {
    try {
      trail.access(
          actor(request),
          interaction(request),
          what(request),
          List.of(),
          query(request),
          problem.getStatusCode() + ": " + problem.getMessage());
    } catch (RuntimeException e) {
      log.error(
          "The audit trail could not record a refused {} ({})", interaction(request), e.toString());
    }
  }

  /** A request turned away before it reached the FHIR server (no or a bad token). */
  void unauthenticated(String address, String path, String reason) {
    trail.access(
        new AuditTrail.Actor("unknown", "unknown", "unknown", address),
        "unauthenticated",
        List.of(),
        List.of(),
        path,
        "401: " + reason);
  }

  private boolean recorded(RequestDetails request) {
    return request != null
        && request.getRestOperationType() != null
        && request.getRestOperationType() != RestOperationTypeEnum.METADATA
        && !RecordVisibility.shared(request.getResourceName());
  }

  /** A patient stored here, not one inside a document (e.g. a packet's {@code urn:uuid:}). */
  private static boolean stored(IIdType id) {
    return id != null && id.hasIdPart() && !id.getValue().contains("urn:");
  }

  private static AuditTrail.Actor actor(RequestDetails request) {
    String address =
        request instanceof ServletRequestDetails servlet
            ? servlet.getServletRequest().getRemoteAddr()
            : null;
    return CallerAuthentication.current()
        .map(
            c ->
                new AuditTrail.Actor(
                    c.organization().orElse("unknown"), c.client(), c.subject(), address))
        .orElse(new AuditTrail.Actor("unknown", "unknown", "unknown", address));
  }

  private static String interaction(RequestDetails request) {
    RestOperationTypeEnum operation = request.getRestOperationType();
    return switch (operation) {
      case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_SERVER ->
          "operation " + request.getOperation();
      default -> operation.getCode().toLowerCase(Locale.ROOT);
    };
  }

  private static List<String> what(RequestDetails request) {
    IIdType id = request.getId();
    if (id != null && id.hasIdPart() && request.getResourceName() != null) {
      return List.of(request.getResourceName() + "/" + id.getIdPart());
    }
    // A search or a type-level operation is recorded by its query.
    return List.of();
  }

  private static String query(RequestDetails request) {
    if (request instanceof ServletRequestDetails servlet
        && servlet.getServletRequest().getQueryString() != null) {
      return request.getRequestPath() + "?" + servlet.getServletRequest().getQueryString();
    }
    return request.getId() != null && request.getId().hasIdPart() ? null : request.getRequestPath();
  }

  private void patientsOf(IBaseResource resource, Set<String> patients) {
    if (resource == null) {
      return;
    }
    if (resource instanceof Patient patient) {
      if (stored(patient.getIdElement())) {
        patients.add("Patient/" + patient.getIdElement().getIdPart());
      }
      return;
    }
    try {
      for (IIdType owner : terser.getCompartmentOwnersForResource("Patient", resource, Set.of())) {
        if (stored(owner)) {
          patients.add("Patient/" + owner.getIdPart());
        }
      }
    } catch (RuntimeException notInCompartment) {
      // a resource type with no patient compartment
    }
  }
}
