package health.secondlook.server.delivery;

import health.secondlook.server.ehr.RetryLimitChecks;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How one receiving organisation gets its packets, {@code secondlook.recipients.<name>.delivery.*}:
 * not at all (the specialist works in SecondLook), pushed to its FHIR server (a transaction, or a
 * {@code $process-message} message), or announced there by a Task that points at the packet on
 * SecondLook.
 *
 * @param mode none, push or notify-and-pull
 * @param baseUrl the receiving FHIR server (required unless the mode is none)
 * @param pushStyle transaction or message (push only)
 * @param token bearer token the receiving server expects; give it in the environment, never in a
 *     file under version control
 * @param limits retries and timeouts towards the receiving server
 */
public record RecipientDelivery(
    @DefaultValue("none") Mode mode,
    URI baseUrl,
    @DefaultValue("transaction") PushStyle pushStyle,
    String token,
    @DefaultValue Limits limits) {

  /** How the packet reaches the recipient. */
  public enum Mode {
    /** Not sent anywhere: the specialist reads it on SecondLook. */
    NONE,
    /** The packet itself goes to the recipient's server. */
    PUSH,
    /**
     * Only the Task goes there; it points at the packet, which the recipient reads on SecondLook.
     */
    NOTIFY_AND_PULL
  }

  /** How a push is sent. */
  public enum PushStyle {
    /** A transaction Bundle: the packet (conditional create) and the Task (conditional update). */
    TRANSACTION,
    /** BSeR's message option: {@code $process-message} with a message Bundle. */
    MESSAGE
  }

  /**
   * @param maxAttempts tries per delivery, the first included
   * @param initialBackoff wait before the first retry; doubled after each failure
   * @param maxBackoff longest wait between retries (also caps the server's {@code Retry-After})
   * @param connectTimeout TCP connect timeout
   * @param readTimeout longest wait for the answer; a packet can be large
   */
  public record Limits(
      @DefaultValue("6") int maxAttempts,
      @DefaultValue("500ms") Duration initialBackoff,
      @DefaultValue("30s") Duration maxBackoff,
      @DefaultValue("5s") Duration connectTimeout,
      @DefaultValue("60s") Duration readTimeout) {}

  /** Nothing to deliver to: the default. */
  public static RecipientDelivery none() {
    return new RecipientDelivery(
        Mode.NONE,
        null,
        PushStyle.TRANSACTION,
        null,
        new Limits(
            6,
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofSeconds(60)));
  }

  public RecipientDelivery {
    mode = mode == null ? Mode.NONE : mode;
    pushStyle = pushStyle == null ? PushStyle.TRANSACTION : pushStyle;
  }

  public boolean delivers() {
    return mode != Mode.NONE;
  }

  /** {@code push (transaction)}, {@code push ($process-message)} or {@code notify-and-pull}. */
  public String how() {
    return switch (mode) {
      case NONE -> "none";
      case PUSH ->
          pushStyle == PushStyle.TRANSACTION ? "push (transaction)" : "push ($process-message)";
      case NOTIFY_AND_PULL -> "notify-and-pull";
    };
  }

  /**
   * What is wrong with these settings, each naming the full property; empty if fine.
   *
   * @param prefix {@code secondlook.recipients.<name>.delivery.}
   */
  public List<String> problems(String prefix) {
    List<String> problems = new ArrayList<>();
    Consumer<String> problem = text -> problems.add(prefix + text);
    if (delivers()) {
      if (baseUrl == null) {
        problem.accept(
            "base-url: required when delivery.mode is "
                + (mode == Mode.PUSH ? "push" : "notify-and-pull"));
      } else if (!("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))
          || baseUrl.getHost() == null) {
        problem.accept("base-url: must be an http or https URL with a host, not '" + baseUrl + "'");
      }
    }
    RetryLimitChecks.check(
        limits.maxAttempts(),
        limits.connectTimeout(),
        limits.readTimeout(),
        limits.initialBackoff(),
        limits.maxBackoff(),
        problem);
    return problems;
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return how()
        + (baseUrl == null ? "" : " to " + baseUrl)
        + (token == null || token.isBlank() ? "" : " (bearer token not shown)");
  }
}
