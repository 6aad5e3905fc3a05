package health.secondlook.server.support;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Makes a test EHR misbehave like a real one on a bad day: a share of requests gets a 500, an
 * answer slower than the client's timeout, or a dropped connection, chosen at random from a fixed
 * seed so a failing run can be repeated.
 */
public final class FaultInjection extends Handler.Wrapper {

  private final Random random;
  private final Duration slowness;
  private volatile double failureRate;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger injected = new AtomicInteger();

  public FaultInjection(double failureRate, Duration slowness, long seed) {
    this.failureRate = failureRate;
    this.slowness = slowness;
    this.random = new Random(seed);
  }

  public void setFailureRate(double failureRate) {
    this.failureRate = failureRate;
  }

  public int requests() {
    return requests.get();
  }

  public int injected() {
    return injected.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    requests.incrementAndGet();
    double roll;
    int kind;
    synchronized (random) {
      roll = random.nextDouble();
      kind = random.nextInt(3);
    }
    if (roll >= failureRate) {
      return super.handle(request, response, callback);
    }
    injected.incrementAndGet();
    switch (kind) {
      case 0 -> Response.writeError(request, response, callback, 500, "injected fault");
      case 1 -> {
        Thread.sleep(slowness.toMillis());
        return super.handle(request, response, callback);
      }
      default -> {
        request.getConnectionMetaData().getConnection().close();
        callback.failed(new java.io.IOException("injected dropped connection"));
      }
    }
    return true;
  }
}
