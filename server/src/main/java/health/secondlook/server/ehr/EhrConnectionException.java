package health.secondlook.server.ehr;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;

/** An EHR could not be reached or stopped answering; the message names the EHR and the problem. */
final class EhrConnectionException extends FhirClientConnectionException {

  EhrConnectionException(String message, FhirClientConnectionException cause) {
    super(message, cause);
  }
}
