package health.secondlook.server.fhir;

import health.secondlook.server.support.TestDataDirectories;
import java.util.Map;

/** Restart durability on the default H2 file database. */
class H2RestartDurabilityTest extends RestartDurabilityContract {

  @Override
  Map<String, Object> sameDatabaseTwice() {
    return Map.of("secondlook.data-dir", TestDataDirectories.fresh().toString());
  }
}
