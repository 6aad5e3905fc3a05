package health.secondlook.server.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Makes a test EHR answer its first requests with {@code 429 Too Many Requests} and a {@code
 * Retry-After}, recording each request so a test can see how long the client waited.
 */
public final class RateLimiting extends Handler.Wrapper {

  private final int refusals;
  private final Duration retryAfter;
  private final AtomicInteger seen = new AtomicInteger();
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

  /** One request as the EHR saw it. */
  public record Arrival(String uri, long millis, boolean refused) {}

  public RateLimiting(int refusals, Duration retryAfter) {
    this.refusals = refusals;
    this.retryAfter = retryAfter;
  }

  public List<Arrival> arrivals() {
    return arrivals;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    boolean refuse = seen.incrementAndGet() <= refusals;
    arrivals.add(
        new Arrival(request.getHttpURI().getPathQuery(), System.currentTimeMillis(), refuse));
    if (!refuse) {
      return super.handle(request, response, callback);
    }
    response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
    Response.writeError(request, response, callback, 429, "slow down");
    return true;
  }
}
