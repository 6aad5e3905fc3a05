package health.secondlook.stock;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * A stock HAPI FHIR JPA server ({@link StockHapiJpaConfiguration}) on its own Jetty server and
 * port, in the test JVM: the kind of referring EHR or receiving system SecondLook meets in a
 * hospital, which SecondLook's tests did not write and whose settings they do not change.
 */
public final class StockHapiServer {

  private final AnnotationConfigApplicationContext spring;
  private final Server jetty;

  private StockHapiServer(AnnotationConfigApplicationContext spring, Server jetty) {
    this.spring = spring;
    this.jetty = jetty;
  }

  /** Boots an empty server with its own in-memory database, named {@code name}. */
  public static StockHapiServer start(String name) {
    AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
    spring
        .getEnvironment()
        .getPropertySources()
        .addFirst(new MapPropertySource("stock-hapi", Map.of("stock.name", name)));
    spring.register(StockHapiJpaConfiguration.class);
    spring.refresh();
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(spring.getBean(RestfulServer.class)), "/fhir/*");
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      spring.close();
      throw new IllegalStateException("Cannot start the stock HAPI server " + name, e);
    }
    return new StockHapiServer(spring, jetty);
  }

  public String baseUrl() {
    return "http://localhost:"
        + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort()
        + "/fhir";
  }

  public void stop() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      spring.close();
    }
  }
}
