package health.secondlook.server.support;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Takes a test EHR down and brings it back: while down, every request is answered {@code 503
 * Service Unavailable} and nothing reaches the EHR, as behind a gateway whose backend is gone.
 */
public final class Outage extends Handler.Wrapper {

  private volatile boolean down;
  private final AtomicInteger refused = new AtomicInteger();

  public void down() {
    down = true;
  }

  public void up() {
    down = false;
  }

  /** Requests answered 503 so far. */
  public int refused() {
    return refused.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!down) {
      return super.handle(request, response, callback);
    }
    refused.incrementAndGet();
    Response.writeError(request, response, callback, 503, "EHR down for maintenance");
    return true;
  }
}
