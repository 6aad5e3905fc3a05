package health.secondlook.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fresh {@code secondlook.data-dir} locations, so no test sees another run's database. */
public final class TestDataDirectories {

  private TestDataDirectories() {}

  public static Path fresh() {
    try {
      return Files.createTempDirectory("secondlook-test-");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create a test data directory", e);
    }
  }
}
