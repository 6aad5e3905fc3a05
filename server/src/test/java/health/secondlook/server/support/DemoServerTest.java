package health.secondlook.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs the test against SecondLook in demo mode exactly as a newcomer starts it: the sandbox EHR,
 * its authorisation server and the sandbox recipient in the same process, configured by {@code
 * application-demo.yaml} alone, with a fresh data directory. The demo's settings name the server's
 * own port, so it gets a free fixed one instead of a random one. Every class with this annotation
 * shares one application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("demo")
@ContextConfiguration(initializers = DemoServerTest.FreshDemo.class)
public @interface DemoServerTest {

  /** A new data directory and a free port, chosen once for the shared application. */
  class FreshDemo implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final int PORT = freePort();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
      TestPropertyValues.of(
              "server.port=" + PORT, "secondlook.data-dir=" + TestDataDirectories.fresh())
          .and(TestIssuer.get().properties())
          .applyTo(context);
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
