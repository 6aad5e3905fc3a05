package health.secondlook.server.security;

import static health.secondlook.server.security.CallerRole.AUDITOR;
import static health.secondlook.server.security.CallerRole.OPERATOR;
import static health.secondlook.server.security.CallerRole.REFERRER;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.springframework.stereotype.Component;

/**
 * Whether a caller may see one stored record: an operator any (within its scopes' query
 * restrictions), an auditor the audit trail and the shared definitions, a referrer or recipient
 * what carries its organisation's label ({@link PartyLabels}) and, with {@code patient/} scopes
 * only, what is in its patient's compartment.
 */
@Component
class RecordVisibility {

  /** Definitions every known caller may read: not anybody's records. */
  private static final Set<String> SHARED_TYPES =
      Set.of(
          "CodeSystem",
          "ValueSet",
          "ConceptMap",
          "Questionnaire",
          "StructureDefinition",
          "SearchParameter",
          "OperationDefinition",
          "NamingSystem",
          "CapabilityStatement",
          "ImplementationGuide");

  static boolean shared(String type) {
    return type != null && SHARED_TYPES.contains(type);
  }

  boolean visible(Caller caller, IBaseResource resource, RequestDetails request) {
    String type = fhir.getResourceType(resource);
    if (!caller.is(OPERATOR)) {
      if ("AuditEvent".equals(type)) {
        return caller.is(AUDITOR);
      }
      if (caller.is(AUDITOR)) {
        return shared(type);
      }
      if (!shared(type)) {
        if (!PartyLabels.carries(resource, labelSystem(caller), caller.org())) {
          return false;
        }
        if (caller.scopes().onlyForPatient(type, 'r') && !inPatientCompartment(caller, resource)) {
          return false;
        }
      }
    }
    List<String> restrictions = caller.scopes().restrictions(type, 'r');
    return restrictions.isEmpty()
        || restrictions.stream()
            .anyMatch(q -> matcher.match(type + "?" + q, resource, request).matched());
  }

  /** With {@code patient/} scopes only: the record is the launch patient's. */
  private boolean inPatientCompartment(Caller caller, IBaseResource resource) {
    if (caller.patient().isEmpty()) {
      return false;
    }
    SearchParameterMap byIdentifier =
        SearchParameterMap.newSynchronous(
            "identifier",
            new TokenParam(
                "https://secondlook.health/fhir/ehr/" + caller.org() + "/Patient",
                caller.patient().get()));
    return daos
        .getResourceDao("Patient")
        .search(byIdentifier, new SystemRequestDetails())
        .getResources(0, 10)
        .stream()
        .anyMatch(
            p ->
                fhir.newTerser()
                    .isSourceInCompartmentForTarget(
                        "Patient", resource, p.getIdElement().toUnqualifiedVersionless()));
  }

  void requireVisible(Caller caller, IIdType id) {
    if (id == null || !id.hasIdPart()) {
      return;
    }
    IBaseResource stored;
    try {
      stored =
          daos.getResourceDao(id.getResourceType())
              .read(id.toUnqualifiedVersionless(), new SystemRequestDetails());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      throw notAvailable(id);
    }
    if (!visible(caller, stored, new SystemRequestDetails())) {
      throw notAvailable(id);
    }
  }

  static String labelSystem(Caller caller) {
    return caller.is(REFERRER) ? PartyLabels.REFERRER_SYSTEM : PartyLabels.RECIPIENT_SYSTEM;
  }

  static String label(Caller caller) {
    return labelSystem(caller) + "|" + caller.org();
  }

  static ForbiddenOperationException notAvailable(IIdType id) {
    return new ForbiddenOperationException(
        id.getResourceType()
            + "/"
            + id.getIdPart()
            + " is not available to you: it does not exist, or it is not your organisation's");
  }

  private final DaoRegistry daos;
  private final SearchParamMatcher matcher;
  private final FhirContext fhir;

  RecordVisibility(DaoRegistry daos, SearchParamMatcher matcher) {
    this.daos = daos;
    this.matcher = matcher;
    this.fhir = daos.getSystemDao().getContext();
  }
}
