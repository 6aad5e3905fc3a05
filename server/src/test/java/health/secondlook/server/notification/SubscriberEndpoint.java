package health.secondlook.server.notification;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;

/**
 * A referrer's rest-hook endpoint: a real HAPI FHIR server on its own Jetty port that records every
 * Task SecondLook delivers to it ({@code PUT {endpoint}/Task/{id}}), in the order it arrived.
 */
final class SubscriberEndpoint implements AutoCloseable {

  private final Server jetty;
  private final List<Task> received = new CopyOnWriteArrayList<>();

  private SubscriberEndpoint(Server jetty) {
    this.jetty = jetty;
  }

  static SubscriberEndpoint start() {
    Server jetty = new Server();
    SubscriberEndpoint endpoint = new SubscriberEndpoint(jetty);
    // Its own context: the endpoint parses what it receives as an independent system would.
    RestfulServer servlet = new RestfulServer(FhirContext.forR4());
    servlet.registerProvider(endpoint.new TaskNotifications());
    ServerConnector connector = new ServerConnector(jetty);
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(servlet), "/fhir/*");
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the subscriber endpoint", e);
    }
    return endpoint;
  }

  String baseUrl() {
    return "http://localhost:"
        + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort()
        + "/fhir";
  }

  /** The versions of this Task received so far, in arrival order. */
  List<Task> received(String taskId) {
    return received.stream().filter(t -> t.getIdElement().getIdPart().equals(taskId)).toList();
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }

  /** Accepts a notification the way a FHIR server accepts an update. */
  public class TaskNotifications implements IResourceProvider {

    @Override
    public Class<? extends IBaseResource> getResourceType() {
      return Task.class;
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Task task) {
      received.add(task);
      return new MethodOutcome(id);
    }
  }
}
