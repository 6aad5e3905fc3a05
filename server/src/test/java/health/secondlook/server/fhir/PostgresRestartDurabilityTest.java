package health.secondlook.server.fhir;

import health.secondlook.server.support.PostgresTestDatabase;
import health.secondlook.server.support.TestDataDirectories;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/** Restart durability on PostgreSQL. */
@ExtendWith(PostgresTestDatabase.class)
class PostgresRestartDurabilityTest extends RestartDurabilityContract {

  @Override
  Map<String, Object> sameDatabaseTwice() {
    Map<String, Object> properties = new HashMap<>(PostgresTestDatabase.createFreshDatabase());
    properties.put("spring.profiles.active", "postgres");
    properties.put("secondlook.data-dir", TestDataDirectories.fresh().toString());
    return properties;
  }
}
