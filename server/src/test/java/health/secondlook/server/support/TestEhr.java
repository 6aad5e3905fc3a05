package health.secondlook.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import health.secondlook.sandbox.SandboxEhr;
import health.secondlook.sandbox.SyntheticPatient;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Collection;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A referring EHR for tests: the project's sandbox EHR (a real HAPI FHIR server) with synthetic
 * cancer patients, on its own Jetty server and port, optionally behind {@link FaultInjection}.
 */
public final class TestEhr {

  private final Server jetty;
  private final SandboxEhr data;
  private final Handler.Wrapper faults;

  private TestEhr(Server jetty, SandboxEhr data, Handler.Wrapper faults) {
    this.jetty = jetty;
    this.data = data;
    this.faults = faults;
  }

  public static TestEhr start(
      int pageSize, Collection<SyntheticPatient> patients, Handler.Wrapper faults) {
    SandboxEhr data = new SandboxEhr(FhirContext.forR4Cached(), pageSize).seed(patients);
    RestfulServer servlet = new RestfulServer(FhirContext.forR4Cached());
    data.installInto(servlet);
    // The EHR pages at this size whatever _count a client asks for, so paging is exercised.
    ((FifoMemoryPagingProvider) servlet.getPagingProvider()).setMaximumPageSize(pageSize);
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(servlet), "/fhir/*");
    if (faults != null) {
      faults.setHandler(context);
      jetty.setHandler(faults);
    } else {
      jetty.setHandler(context);
    }
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start a test EHR", e);
    }
    return new TestEhr(jetty, data, faults);
  }

  /** A base URL where nothing listens: an EHR that is down for good. */
  public static String unreachableBaseUrl() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://localhost:" + socket.getLocalPort() + "/fhir";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String baseUrl() {
    return "http://localhost:"
        + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort()
        + "/fhir";
  }

  public SandboxEhr data() {
    return data;
  }

  /** The misbehaviour in front of this EHR, if any. */
  @SuppressWarnings("unchecked")
  public <T extends Handler.Wrapper> T faults() {
    return (T) faults;
  }
}
