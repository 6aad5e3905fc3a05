package health.secondlook.server.demo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox EHR's side of a SMART launch: when a user clicks "Request a second opinion" in a
 * chart (or picks a patient in a standalone launch), the EHR keeps what is in context under a
 * random, short-lived {@code launch} id; the token response later names that patient and context.
 * An id is good for ten minutes.
 */
final class SandboxLaunchContexts {

  static final Duration LIFETIME = Duration.ofMinutes(10);

  /**
   * @param patient the patient id in context, or {@code null} (a specialist's launch)
   * @param fhirContext SMART 2.2 {@code fhirContext} items, e.g. {@code {"reference":"Task/1"}}
   */
  record Context(String patient, List<Map<String, Object>> fhirContext, Instant created) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Context> contexts = new ConcurrentHashMap<>();
  private final Clock clock;

  SandboxLaunchContexts(Clock clock) {
    this.clock = clock;
  }

  String create(String patient, List<Map<String, Object>> fhirContext) {
    contexts.values().removeIf(this::expired);
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    contexts.put(id, new Context(patient, List.copyOf(fhirContext), clock.instant()));
    return id;
  }

  Optional<Context> find(String launch) {
    if (launch == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(contexts.get(launch)).filter(c -> !expired(c));
  }

  private boolean expired(Context context) {
    return context.created().plus(LIFETIME).isBefore(clock.instant());
  }
}
