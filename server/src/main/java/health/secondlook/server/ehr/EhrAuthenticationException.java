package health.secondlook.server.ehr;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;

/** An EHR answered 401; says whether a retry will carry a new token that may be accepted. */
final class EhrAuthenticationException extends AuthenticationException {

  private final boolean retryWithNewToken;

  EhrAuthenticationException(String message, boolean retryWithNewToken) {
    super(message);
    this.retryWithNewToken = retryWithNewToken;
  }

  boolean retryWithNewToken() {
    return retryWithNewToken;
  }
}
