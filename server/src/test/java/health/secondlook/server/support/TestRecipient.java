package health.secondlook.server.support;

import health.secondlook.sandbox.recipient.SandboxRecipientSystem;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A receiving organisation's FHIR server for tests: the project's sandbox recipient (a real HAPI
 * FHIR server that takes transactions and messages) on its own Jetty server and port, optionally
 * behind {@link FaultInjection}.
 */
public final class TestRecipient {

  private final Server jetty;
  private final Handler.Wrapper faults;

  private TestRecipient(Server jetty, Handler.Wrapper faults) {
    this.jetty = jetty;
    this.faults = faults;
  }

  /** On a free port. */
  public static TestRecipient start(Handler.Wrapper faults) {
    return start(0, faults);
  }

  /**
   * On the given port, e.g. the one of a {@link TestEhr#unreachableBaseUrl()} that tests have seen
   * down and now see come back.
   */
  public static TestRecipient start(int port, Handler.Wrapper faults) {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new SandboxRecipientSystem()), "/fhir/*");
    if (faults != null) {
      faults.setHandler(context);
      jetty.setHandler(faults);
    } else {
      jetty.setHandler(context);
    }
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start a test recipient on port " + port, e);
    }
    return new TestRecipient(jetty, faults);
  }

  public String baseUrl() {
    return "http://localhost:"
        + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort()
        + "/fhir";
  }

  /** The misbehaviour in front of this recipient, if any. */
  @SuppressWarnings("unchecked")
  public <T extends Handler.Wrapper> T faults() {
    return (T) faults;
  }

  public void stop() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
