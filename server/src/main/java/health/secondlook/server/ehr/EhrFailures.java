package health.secondlook.server.ehr;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.util.Optional;

// TEMPORARY stand-in until the ehr-connections branch is merged.
public final class EhrFailures {
  private EhrFailures() {}

  public static boolean isRetryable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FhirClientConnectionException) return true;
      if (c instanceof BaseServerResponseException e) {
        int s = e.getStatusCode();
        return s == 429 || s >= 500 || s == 0;
      }
    }
    return false;
  }

  public static Optional<Duration> retryAfter(Throwable t) {
    return Optional.empty();
  }

  public static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BaseServerResponseException e)
        return "HTTP " + e.getStatusCode() + ": " + e.getMessage();
      if (c instanceof FhirClientConnectionException e)
        return "connection failed: " + e.getMessage();
    }
    return String.valueOf(t);
  }
}
