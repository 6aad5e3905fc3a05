package health.secondlook.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after a FHIR API request is authenticated and before the FHIR server sees it: refuses a
 * client's request beyond {@link RequestLimits#maxInFlightPerClient()} at once (429, so one client
 * cannot take every worker), and a body over {@link RequestBodyLimits} (413 or 400), each with an
 * OperationOutcome that names the setting.
 */
final class FhirRequestLimitsFilter extends OncePerRequestFilter {

  private final RequestLimits limits;
  private final RequestBodyLimits bodies;
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  FhirRequestLimitsFilter(RequestLimits limits) {
    this.limits = limits;
    this.bodies = new RequestBodyLimits(limits);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String client =
        CallerAuthentication.current()
            .map(c -> c.issuer() + " " + c.client() + " " + c.subject())
            .orElse("anonymous " + request.getRemoteAddr());
    // One count per client while it has requests running; it goes when the last one ends, so
    // the map holds only the clients busy now.
    int[] running = new int[1];
    inFlight.compute(
        client,
        (k, count) -> {
          AtomicInteger now = count == null ? new AtomicInteger() : count;
          running[0] = now.incrementAndGet();
          return now;
        });
    if (running[0] > limits.maxInFlightPerClient()) {
      release(client);
      response.setHeader("Retry-After", "1");
      FhirAccessProblems.write(
          response,
          429,
          IssueType.THROTTLED,
          "This client already has secondlook.security.limits.max-in-flight-per-client ("
              + limits.maxInFlightPerClient()
              + ") requests running; retry when one has finished");
      return;
    }
    try {
      Optional<HttpServletRequest> checked = checkBody(request, response);
      if (checked.isPresent()) {
        chain.doFilter(checked.get(), response);
      }
    } finally {
      release(client);
    }
  }

  private void release(String client) {
    inFlight.computeIfPresent(client, (k, count) -> count.decrementAndGet() == 0 ? null : count);
  }

  /** The request with its body read and checked, or empty once a refusal has been written. */
  private Optional<HttpServletRequest> checkBody(
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    String method = request.getMethod();
    if (!"POST".equals(method) && !"PUT".equals(method) && !"PATCH".equals(method)) {
      return Optional.of(request);
    }
    long declared = request.getContentLengthLong();
    long max = limits.maxBodySize().toBytes();
    if (declared > max) {
      FhirAccessProblems.write(response, 413, IssueType.TOOCOSTLY, bodies.tooLarge(declared));
      return Optional.empty();
    }
    byte[] body = RequestBodyLimits.readAtMost(request.getInputStream(), max);
    Optional<String> problem = bodies.problem(body);
    if (problem.isPresent()) {
      int status = body.length > max ? 413 : 400;
      FhirAccessProblems.write(response, status, IssueType.TOOCOSTLY, problem.get());
      return Optional.empty();
    }
    return Optional.of(new ReadBody(request, body));
  }

  /** The request with the body already read, served again to the FHIR server. */
  private static final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already read");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }
  }
}
