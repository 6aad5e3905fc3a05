package health.secondlook.server.support;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (junit-platform.properties): Awaitility, by default, fails a wait
 * with any uncaught exception from any thread in the JVM. The shared application runs background
 * work for all test classes at once, e.g. HAPI's retries of a Subscription another test deleted, so
 * a wait fails only on what it waits for.
 */
public class AwaitOnlyTheTest implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.doNotCatchUncaughtExceptionsByDefault();
  }
}
