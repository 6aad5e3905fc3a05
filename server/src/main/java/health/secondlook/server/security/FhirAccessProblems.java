package health.secondlook.server.security;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.server.fhir.Outcomes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The FHIR API's answer to a request without a usable token (401, with RFC 6750's {@code
 * WWW-Authenticate}) or one its token does not allow (403), as an OperationOutcome that says why.
 * It names the problem with the token, never the exception behind it.
 */
final class FhirAccessProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final ObjectProvider<AccessAudit> audit;

  FhirAccessProblems(ObjectProvider<AccessAudit> audit) {
    this.audit = audit;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException problem)
      throws IOException {
    boolean hadToken = request.getHeader("Authorization") != null;
    String reason =
        problem instanceof InvalidBearerTokenException || hadToken
            ? "The bearer token was refused: " + plain(problem.getMessage())
            : "This request needs a bearer token (Authorization: Bearer …) from an issuer SecondLook"
                + " trusts; see /fhir/.well-known/smart-configuration";
    response.setHeader(
        "WWW-Authenticate",
        hadToken ? "Bearer error=\"invalid_token\"" : "Bearer realm=\"secondlook\"");
    audit.ifAvailable(
        a -> a.unauthenticated(request.getRemoteAddr(), request.getRequestURI(), reason));
    write(response, HttpServletResponse.SC_UNAUTHORIZED, IssueType.LOGIN, reason);
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException {
    write(
        response,
        HttpServletResponse.SC_FORBIDDEN,
        IssueType.FORBIDDEN,
        "The token does not allow this request");
  }

  /** Spring's messages for bad tokens say what is wrong; strip anything after a line break. */
  private static String plain(String message) {
    if (message == null) {
      return "invalid token";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  static void write(HttpServletResponse response, int status, IssueType type, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/fhir+json;charset=UTF-8");
    response
        .getOutputStream()
        .write(
            FhirContext.forR4Cached()
                .newJsonParser()
                .encodeResourceToString(Outcomes.error(type, message))
                .getBytes(StandardCharsets.UTF_8));
  }
}
