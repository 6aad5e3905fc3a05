package health.secondlook.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs the test against the whole SecondLook application on the {@code postgres} profile, with a
 * fresh database on a real PostgreSQL server. Skipped, with the reason, when none is reachable.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresTestDatabase.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
@ContextConfiguration(initializers = PostgresServerTest.FreshDatabase.class)
public @interface PostgresServerTest {

  /** Creates the database and points the datasource at it; demo signing keys, as on H2. */
  class FreshDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      TestPropertyValues.of(PostgresTestDatabase.createFreshDatabase())
          .and("secondlook.data-dir=" + TestDataDirectories.fresh())
          .and("secondlook.signing.generate-demo-keys=true")
          .and(TestIssuer.get().properties())
          .applyTo(context);
    }
  }
}
