package health.secondlook.server.ehr;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.server.ehr.EhrEndpointProperties.Limits;
import health.secondlook.server.smart.SmartTokenException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import org.apache.http.NoHttpResponseException;
import org.apache.http.conn.ConnectTimeoutException;

/**
 * How the pull and the write-back judge a failed request to an EHR (and delivery one to a
 * recipient's server): worth retrying or not, how long to wait first (the server's {@code
 * Retry-After}, or backoff within its limits), and a one-line description a person can act on (for
 * {@code Task.statusReason}). Works on the exceptions the clients from {@link EhrClients} throw,
 * and on plain HAPI and I/O exceptions.
 */
public final class EhrFailures {

  /** Overload, gateway trouble and timeouts pass; other statuses would fail the same way again. */
  private static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 429, 500, 502, 503, 504);

  private static final String RETRY_AFTER = "Retry-After";

  private EhrFailures() {}

  /**
   * True for connection failures (refused, reset, timed out), HTTP 408, 429, 500, 502, 503 and 504,
   * a 401 after which a new token will be tried (see {@link EhrClients}), and a token endpoint that
   * was unreachable or failing. False for everything else: 400, 403, 404, 410, unreadable
   * responses, TLS certificate failures, refused credentials.
   */
  public static boolean isRetryable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SmartTokenException token) {
        return token.isRetryable();
      }
      if (t instanceof EhrAuthenticationException unauthorized) {
        return unauthorized.retryWithNewToken();
      }
      if (t instanceof FhirClientConnectionException || t instanceof IOException) {
        return find(t, IOException.class) != null
            && find(t, SSLException.class) == null
            && find(t, DataFormatException.class) == null;
      }
      if (t instanceof BaseServerResponseException response) {
        return RETRYABLE_STATUS.contains(response.getStatusCode());
      }
    }
    return false;
  }

  /**
   * Whether a request that has now failed {@code failures} times may be sent again: the failure is
   * {@link #isRetryable retryable} and the EHR's {@code max-attempts} (tries, the first included)
   * are not spent.
   *
   * @param failures how often the request has failed so far, this failure included; Camel's {@code
   *     Exchange.REDELIVERY_COUNTER} when a {@code retryWhile} predicate runs
   */
  public static boolean mayRetry(Limits limits, int failures, Throwable failure) {
    return failures < limits.maxAttempts() && isRetryable(failure);
  }

  /**
   * How long to wait before the next try: the EHR's {@code Retry-After} if it sent one, otherwise
   * exponential backoff from {@code initial-backoff} with jitter; never more than {@code
   * max-backoff}.
   *
   * @param attempt the retries made so far (0 after the first failure)
   */
  public static Duration backoff(Limits limits, int attempt, Throwable failure) {
    return retryDelay(failure, attempt, limits.initialBackoff(), limits.maxBackoff());
  }

  /** The EHR's {@code Retry-After}, in delta-seconds or as an HTTP-date, if it sent one. */
  public static Optional<Duration> retryAfter(Throwable failure) {
    return retryAfter(failure, Clock.systemUTC());
  }

  static Optional<Duration> retryAfter(Throwable failure, Clock clock) {
    BaseServerResponseException response = find(failure, BaseServerResponseException.class);
    if (response == null || !response.hasResponseHeaders()) {
      return Optional.empty();
    }
    return response.getResponseHeaders().entrySet().stream()
        .filter(header -> RETRY_AFTER.equalsIgnoreCase(header.getKey()))
        .map(Map.Entry::getValue)
        .flatMap(List::stream)
        .findFirst()
        .flatMap(value -> parseRetryAfter(value.trim(), clock));
  }

  /**
   * How long to wait before trying again after the {@code attempt}-th retry ({@code 0} after the
   * first failure): the server's {@code Retry-After} if it sent one, at most {@code maxBackoff};
   * otherwise {@code initialBackoff} doubled per attempt, capped at {@code maxBackoff}, with jitter
   * so that requests that failed together do not retry together.
   */
  public static Duration retryDelay(
      Throwable failure, int attempt, Duration initialBackoff, Duration maxBackoff) {
    return retryAfter(failure)
        .map(d -> d.compareTo(maxBackoff) > 0 ? maxBackoff : d)
        .orElseGet(
            () -> {
              long base = initialBackoff.toMillis() << Math.min(attempt, 20);
              long capped = Math.min(base, maxBackoff.toMillis());
              return Duration.ofMillis(
                  capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
            });
  }

  /**
   * One line naming the status and message, e.g. {@code HTTP 503 Service Unavailable from
   * https://ehr.example.org/fhir: busy} or {@code connection refused by
   * https://ehr.example.org/fhir}.
   */
  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SmartTokenException || t instanceof EhrConnectionException) {
        return t.getMessage();
      }
      if (t instanceof FhirClientConnectionException || t instanceof IOException) {
        return connectionProblem(t, null);
      }
      if (t instanceof BaseServerResponseException response) {
        String message = withoutHapiCode(response.getMessage());
        return message.startsWith("HTTP ")
            ? message
            : "HTTP " + response.getStatusCode() + ": " + message;
      }
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }

  /** What went wrong below HTTP, naming the EHR's URL when known. */
  static String connectionProblem(Throwable failure, String baseUrl) {
    String ehr = baseUrl == null ? "the EHR" : baseUrl;
    if (find(failure, ConnectTimeoutException.class) != null) {
      return "connection to " + ehr + " timed out";
    }
    if (find(failure, ConnectException.class) != null) {
      return "connection refused by " + ehr;
    }
    if (find(failure, SocketTimeoutException.class) != null) {
      return "no response from " + ehr + " within the read timeout";
    }
    if (find(failure, NoHttpResponseException.class) != null) {
      return ehr + " closed the connection without answering";
    }
    UnknownHostException unknownHost = find(failure, UnknownHostException.class);
    if (unknownHost != null) {
      return "unknown host " + unknownHost.getMessage() + " for " + ehr;
    }
    SSLException tls = find(failure, SSLException.class);
    if (tls != null) {
      return "TLS failure with " + ehr + ": " + tls.getMessage();
    }
    SocketException socket = find(failure, SocketException.class);
    if (socket != null) {
      return "connection to " + ehr + " failed: " + socket.getMessage();
    }
    DataFormatException unreadable = find(failure, DataFormatException.class);
    if (unreadable != null) {
      return "unreadable response from " + ehr + ": " + withoutHapiCode(unreadable.getMessage());
    }
    IOException io = find(failure, IOException.class);
    Throwable cause = io != null ? io : failure;
    return "connection to " + ehr + " failed: " + withoutHapiCode(cause.toString());
  }

  private static Optional<Duration> parseRetryAfter(String value, Clock clock) {
    try {
      if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      }
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** HAPI prefixes messages with {@code HAPI-1234: }, which tells a clinician nothing. */
  private static String withoutHapiCode(String message) {
    return message == null ? "" : message.replaceFirst("^HAPI-\\d+: ", "");
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
