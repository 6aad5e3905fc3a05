package health.secondlook.server.referral;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.secondlook.server.ehr.EhrClients;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.ehr.EhrFailures;
import health.secondlook.server.fhir.Outcomes;
import health.secondlook.server.pull.LocalIds;
import health.secondlook.server.pull.PulledResourceMapper;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks, when a referral arrives, that its patient exists at the source EHR. A patient the EHR
 * says it does not have is a bad request. An EHR that cannot be reached right now is not: the
 * referral is accepted and the pull, with its retries, finds out, so no request is lost.
 */
@Component
class SourcePatientLookup {

  private static final Logger log = LoggerFactory.getLogger(SourcePatientLookup.class);

  /**
   * The patient's SecondLook id, and the EHR's current Patient when it answered (converted to
   * SecondLook's copy).
   */
  record Found(String localId, Optional<Patient> current) {}

  private final EhrClients clients;
  private final EhrDirectory ehrs;
  private final IFhirResourceDao<Patient> localPatients;
  private final FhirContext fhirContext;

  SourcePatientLookup(
      EhrClients clients, EhrDirectory ehrs, DaoRegistry daoRegistry, FhirContext fhirContext) {
    this.clients = clients;
    this.ehrs = ehrs;
    this.localPatients = daoRegistry.getResourceDao(Patient.class);
    this.fhirContext = fhirContext;
  }

  Found lookUp(String source, String patientId) {
    String localId = LocalIds.of(source, patientId);
    try {
      Patient atEhr =
          clients.client(source).read().resource(Patient.class).withId(patientId).execute();
      String base = ehrs.find(source).orElseThrow().baseUrl().toString();
      Patient local =
          (Patient)
              new PulledResourceMapper(fhirContext, source, base)
                  .toLocal(atEhr, Set.of(PulledResourceMapper.key(atEhr)));
      return new Found(localId, Optional.of(local));
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      String message = "patient: EHR '%s' has no patient with id '%s'".formatted(source, patientId);
      OperationOutcome outcome = Outcomes.error(OperationOutcome.IssueType.NOTFOUND, message);
      throw new InvalidRequestException(message, outcome);
    } catch (RuntimeException e) {
      log.warn(
          "Could not check patient {} at EHR '{}' ({}); accepting the referral, the pull will retry",
          patientId,
          source,
          EhrFailures.describe(e));
      return new Found(localId, Optional.empty());
    }
  }

  boolean existsLocally(String localId) {
    try {
      localPatients.read(new IdType("Patient", localId), new SystemRequestDetails());
      return true;
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return false;
    }
  }
}
