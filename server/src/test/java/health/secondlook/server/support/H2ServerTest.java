package health.secondlook.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs the test against the whole SecondLook application on a random port, with the default H2 file
 * database in a fresh directory. Every class with this annotation shares one application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = H2ServerTest.FreshDataDirectory.class)
public @interface H2ServerTest {

  /**
   * Points {@code secondlook.data-dir} at a new temporary directory and the configured EHRs at the
   * {@link TestEhrs}, and has the application make demo signing keys there, so packets are signed.
   */
  class FreshDataDirectory
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      TestPropertyValues.of(TestEhrs.get().properties())
          .and("secondlook.data-dir=" + TestDataDirectories.fresh())
          .and("secondlook.signing.generate-demo-keys=true")
          .applyTo(context);
    }
  }
}
