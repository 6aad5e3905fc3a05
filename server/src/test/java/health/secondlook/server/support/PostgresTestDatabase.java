package health.secondlook.server.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives PostgreSQL integration tests a fresh database on a real PostgreSQL server, or skips them
 * with a message saying how to run them. {@code .ci/run} starts PostgreSQL and sets {@code
 * SECONDLOOK_TEST_PG_REQUIRED=true}, which turns the skip into a failure.
 *
 * <p>Connection settings: {@code SECONDLOOK_TEST_PG_HOST} (localhost), {@code
 * SECONDLOOK_TEST_PG_PORT} (5432), {@code SECONDLOOK_TEST_PG_USER} (secondlook), {@code
 * SECONDLOOK_TEST_PG_PASSWORD} (empty). The user needs CREATEDB.
 */
public final class PostgresTestDatabase implements ExecutionCondition {

  private static final String HOST = env("SECONDLOOK_TEST_PG_HOST", "localhost");
  private static final String PORT = env("SECONDLOOK_TEST_PG_PORT", "5432");
  public static final String USER = env("SECONDLOOK_TEST_PG_USER", "secondlook");
  public static final String PASSWORD = env("SECONDLOOK_TEST_PG_PASSWORD", "");
  private static final boolean REQUIRED =
      Boolean.parseBoolean(env("SECONDLOOK_TEST_PG_REQUIRED", "false"));

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    try (Connection ignored = connect("postgres")) {
      return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + HOST + ":" + PORT);
    } catch (SQLException e) {
      String message =
          "PostgreSQL not reachable at %s:%s as %s (%s). Skipping PostgreSQL tests; .ci/run starts one."
              .formatted(HOST, PORT, USER, e.getMessage());
      if (REQUIRED) {
        throw new IllegalStateException(message, e);
      }
      return ConditionEvaluationResult.disabled(message);
    }
  }

  /** Creates an empty database with a unique name and returns Spring properties that use it. */
  public static Map<String, String> createFreshDatabase() {
    String name = "secondlook_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = connect("postgres");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test database " + name, e);
    }
    return Map.of(
        "spring.datasource.url", jdbcUrl(name),
        "spring.datasource.username", USER,
        "spring.datasource.password", PASSWORD);
  }

  private static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
  }

  private static String jdbcUrl(String database) {
    return "jdbc:postgresql://%s:%s/%s?connectTimeout=3".formatted(HOST, PORT, database);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
