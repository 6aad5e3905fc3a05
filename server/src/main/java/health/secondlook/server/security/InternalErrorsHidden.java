package health.secondlook.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * An unexpected failure is answered without its insides: a 500 whose OperationOutcome gives the
 * request id to look for in the log, never the exception's class, message or stack. The log has the
 * whole failure.
 */
@Component
@Interceptor
class InternalErrorsHidden {

  private static final Logger log = LoggerFactory.getLogger(InternalErrorsHidden.class);

  InternalErrorsHidden(RestfulServer fhirRestfulServer) {
    fhirRestfulServer.registerInterceptor(this);
  }

  /**
   * Runs once the FHIR server has turned the failure into its answer; an internal error's answer is
   * written here instead.
   */
  @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
  boolean hide(
      RequestDetails request, BaseServerResponseException answer, HttpServletResponse response)
      throws IOException {
    if (!(answer instanceof InternalErrorException)) {
      // A 4xx says what is wrong with the request; SecondLook's own 5xx (a 503 naming a missing
      // setting, say) are written for the reader.
      return true;
    }
    String id = request == null ? "unknown" : request.getRequestId();
    log.error(
        "Request {} ({} {}) failed",
        id,
        request == null ? "" : request.getRequestType(),
        request == null ? "" : request.getRequestPath(),
        answer);
    FhirAccessProblems.write(
        response,
        answer.getStatusCode(),
        IssueType.EXCEPTION,
        "SecondLook could not answer this request; it is logged as request " + id);
    return false;
  }
}
