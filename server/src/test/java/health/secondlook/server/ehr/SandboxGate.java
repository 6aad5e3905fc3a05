package health.secondlook.server.ehr;

import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Stands in front of the sandbox EHR in tests, the way an EHR's gateway would: it requires a valid
 * bearer token when told to, serves {@code .well-known/smart-configuration} and a Patient R4 cannot
 * read exactly, and on request (header {@value #FAILURE}) answers {@code 503} with a {@code
 * Retry-After} or answers slowly. It records the Authorization header of every FHIR request.
 */
final class SandboxGate implements Filter {

  /** {@code 503 <Retry-After value>} or {@code slow <milliseconds>}. */
  static final String FAILURE = "X-Test-Failure";

  /** A Patient this EHR serves with an element R4 does not define and an invalid gender code. */
  static final String ODD_PATIENT = "odd-1";

  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile Predicate<String> validToken;
  private volatile String tokenEndpoint;

  /** Only requests whose bearer token passes are served; {@code null} serves everyone. */
  void requireToken(Predicate<String> valid) {
    validToken = valid;
  }

  void advertiseTokenEndpoint(String url) {
    tokenEndpoint = url;
  }

  /** Authorization headers of FHIR requests, in order; "" where there was none. */
  List<String> authorizations() {
    return authorizations;
  }

  void reset() {
    authorizations.clear();
    validToken = null;
    tokenEndpoint = null;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (request.getRequestURI().endsWith("/.well-known/smart-configuration")) {
      if (tokenEndpoint == null) {
        response.sendError(404);
      } else {
        write(response, 200, "application/json", "{\"token_endpoint\":\"" + tokenEndpoint + "\"}");
      }
      return;
    }
    String authorization = request.getHeader("Authorization");
    authorizations.add(authorization == null ? "" : authorization);
    Predicate<String> valid = validToken;
    if (valid != null
        && (authorization == null
            || !authorization.startsWith("Bearer ")
            || !valid.test(authorization.substring("Bearer ".length())))) {
      write(response, 401, "application/fhir+json", outcome("login", "invalid or expired token"));
      return;
    }
    if (request.getRequestURI().endsWith("/Patient/" + ODD_PATIENT)) {
      write(
          response,
          200,
          "application/fhir+json",
          """
          {"resourceType":"Patient","id":"%s","gender":"f","birthDate":"1960-02-01","wing":"east"}
          """
              .formatted(ODD_PATIENT));
      return;
    }
    String failure = request.getHeader(FAILURE);
    if (failure != null && failure.startsWith("503 ")) {
      response.setHeader("Retry-After", failure.substring(4));
      write(response, 503, "application/fhir+json", outcome("transient", "EHR busy, try later"));
      return;
    }
    if (failure != null && failure.startsWith("slow ")) {
      try {
        Thread.sleep(Long.parseLong(failure.substring(5)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    chain.doFilter(req, res);
  }

  private static String outcome(String code, String diagnostics) {
    return """
        {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"%s","diagnostics":"%s"}]}
        """
        .formatted(code, diagnostics);
  }

  private static void write(HttpServletResponse response, int status, String type, String body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(type);
    response.getOutputStream().write(body.getBytes(UTF_8));
  }
}
