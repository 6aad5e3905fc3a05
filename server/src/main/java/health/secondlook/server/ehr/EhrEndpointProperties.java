package health.secondlook.server.ehr;

import health.secondlook.server.smart.LaunchClient;
import health.secondlook.server.smart.SigningAlgorithm;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * One referring EHR's connection settings, {@code secondlook.ehrs.<name>.*}: where its FHIR API is,
 * how SecondLook authenticates to it, how hard a pull may press it, and which mapping profile reads
 * its data.
 *
 * @param baseUrl FHIR base URL, http or https (required)
 * @param auth how requests are authorised
 * @param limits concurrency, timeouts, retries and sizes for pulls from this EHR
 * @param mapping name of the profile in the mappings module that says what to fetch
 * @param launch SecondLook as a SMART App Launch client of this EHR, so clinicians can start a
 *     referral from the patient's chart; none when {@code null}. Its issuer is the base URL.
 */
public record EhrEndpointProperties(
    URI baseUrl,
    @DefaultValue Auth auth,
    @DefaultValue Limits limits,
    @DefaultValue("r4-default") String mapping,
    LaunchClient launch) {

  /** How SecondLook authenticates to an EHR. */
  public enum AuthMode {
    /** No Authorization header, e.g. an open sandbox. */
    NONE,
    /** A fixed bearer token issued out of band. */
    BEARER,
    /** SMART Backend Services: a client_credentials token per private_key_jwt assertion. */
    SMART_BACKEND
  }

  /**
   * @param mode none, bearer or smart-backend
   * @param token bearer token (bearer mode); supply it from the environment, never a file in git
   * @param clientId client id the EHR issued (smart-backend)
   * @param keyFile PEM PKCS#8 private key (RSA, or EC P-384), or a PKCS#12 store (smart-backend)
   * @param keyPassword PKCS#12 password
   * @param keyAlias PKCS#12 entry; by default the store's only key
   * @param keyId JWS {@code kid} the EHR knows the key by (smart-backend)
   * @param tokenUrl token endpoint; by default discovered from {@code
   *     {baseUrl}/.well-known/smart-configuration}
   * @param algorithm RS384 or ES384; by default RS384 for an RSA key, ES384 for an EC key
   * @param scope space-separated scopes requested
   */
  public record Auth(
      @DefaultValue("none") AuthMode mode,
      String token,
      String clientId,
      Path keyFile,
      String keyPassword,
      String keyAlias,
      String keyId,
      URI tokenUrl,
      SigningAlgorithm algorithm,
      @DefaultValue("system/*.rs") String scope) {

    /** Never prints the token or the key password. */
    @Override
    public String toString() {
      return switch (mode) {
        case NONE -> "none";
        case BEARER -> "bearer (token not shown)";
        case SMART_BACKEND -> "smart-backend (client " + clientId + ", key " + keyId + ")";
      };
    }
  }

  /**
   * @param maxConcurrency requests in flight to this EHR at once
   * @param connectTimeout TCP connect timeout
   * @param readTimeout longest wait for response data
   * @param maxAttempts tries per request, the first included, before the pull or write-back gives
   *     up
   * @param initialBackoff wait before the first retry; doubled after each failure
   * @param maxBackoff longest wait between retries
   * @param maxBinaryBytes largest document (Binary or attachment) fetched
   * @param pageSize {@code _count} asked for on searches
   */
  public record Limits(
      @DefaultValue("4") int maxConcurrency,
      @DefaultValue("5s") Duration connectTimeout,
      @DefaultValue("30s") Duration readTimeout,
      @DefaultValue("6") int maxAttempts,
      @DefaultValue("500ms") Duration initialBackoff,
      @DefaultValue("30s") Duration maxBackoff,
      @DefaultValue("10MB") DataSize maxBinaryBytes,
      @DefaultValue("100") int pageSize) {}

  /** What is wrong with this endpoint's settings, each naming the full property; empty if fine. */
  List<String> problems(String name) {
    List<String> problems = new ArrayList<>();
    String prefix = EhrProperties.PREFIX + "." + name + ".";
    Consumer<String> problem = text -> problems.add(prefix + text);
    checkUrl("base-url", baseUrl, true, problem);
    if (mapping == null || mapping.isBlank()) {
      problem.accept("mapping: must name a mapping profile");
    }
    switch (auth.mode()) {
      case NONE -> {}
      case BEARER -> {
        if (isBlank(auth.token())) {
          problem.accept("auth.token: required when auth.mode is bearer");
        }
      }
      case SMART_BACKEND -> checkSmartBackend(problem);
    }
    checkLimits(problem);
    if (launch != null) {
      problems.addAll(launch.problems(prefix + "launch."));
    }
    return problems;
  }

  private void checkSmartBackend(Consumer<String> problem) {
    if (isBlank(auth.clientId())) {
      problem.accept("auth.client-id: required when auth.mode is smart-backend");
    }
    if (isBlank(auth.keyId())) {
      problem.accept("auth.key-id: required when auth.mode is smart-backend (the JWS kid)");
    }
    if (auth.keyFile() == null) {
      problem.accept("auth.key-file: required when auth.mode is smart-backend");
    } else if (!Files.exists(auth.keyFile())) {
      problem.accept("auth.key-file: file not found: " + auth.keyFile());
    } else if (!Files.isReadable(auth.keyFile()) || !Files.isRegularFile(auth.keyFile())) {
      problem.accept("auth.key-file: not a readable file: " + auth.keyFile());
    }
    checkUrl("auth.token-url", auth.tokenUrl(), false, problem);
    if (isBlank(auth.scope())) {
      problem.accept("auth.scope: must not be empty");
    }
  }

  private void checkLimits(Consumer<String> problem) {
    if (limits.maxConcurrency() < 1) {
      problem.accept("limits.max-concurrency: must be at least 1");
    }
    RetryLimitChecks.check(
        limits.maxAttempts(),
        limits.connectTimeout(),
        limits.readTimeout(),
        limits.initialBackoff(),
        limits.maxBackoff(),
        problem);
    if (limits.pageSize() < 1) {
      problem.accept("limits.page-size: must be at least 1");
    }
    if (limits.maxBinaryBytes() == null || limits.maxBinaryBytes().toBytes() < 1) {
      problem.accept("limits.max-binary-bytes: must be positive");
    }
  }

  private static void checkUrl(String field, URI url, boolean required, Consumer<String> problem) {
    if (url == null) {
      if (required) {
        problem.accept(field + ": required");
      }
    } else if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null) {
      problem.accept(field + ": must be an http or https URL with a host, not '" + url + "'");
    }
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
