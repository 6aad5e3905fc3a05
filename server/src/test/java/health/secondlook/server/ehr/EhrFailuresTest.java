package health.secondlook.server.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.test.utilities.server.RestfulServerExtension;
import health.secondlook.sandbox.SyntheticCancerPatients;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How failures of real requests to an EHR are judged for the pull's retries and Task reasons. */
class EhrFailuresTest {

  private static final SandboxGate GATE = new SandboxGate();

  @RegisterExtension static final RestfulServerExtension EHR = EhrTestSupport.sandbox(GATE);

  @Test
  void serviceUnavailableWithRetryAfterSecondsIsRetriedAfterThatWait() {
    Throwable failure = failureOf(ehr(), "503 7");

    assertThat(failure).isInstanceOf(BaseServerResponseException.class);
    assertThat(EhrFailures.isRetryable(failure)).isTrue();
    assertThat(EhrFailures.retryAfter(failure)).contains(Duration.ofSeconds(7));
    assertThat(EhrFailures.describe(failure))
        .isEqualTo(
            "HTTP 503 Service Unavailable from " + EHR.getBaseUrl() + ": EHR busy, try later");
  }

  @Test
  void backoffDoublesWithJitterWithinTheLimitsAndHonoursRetryAfter() {
    EhrEndpointProperties.Limits limits =
        new EhrEndpointProperties.Limits(
            4,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            3,
            Duration.ofMillis(100),
            Duration.ofMillis(1000),
            org.springframework.util.unit.DataSize.ofMegabytes(10),
            100);
    IOException reset = new IOException("Connection reset");

    assertThat(EhrFailures.backoff(limits, 0, reset)).isBetween(ms(50), ms(100));
    assertThat(EhrFailures.backoff(limits, 2, reset)).isBetween(ms(200), ms(400));
    assertThat(EhrFailures.backoff(limits, 12, reset)).isBetween(ms(500), ms(1000));
    // Retry-After: 7 seconds, but never longer than max-backoff
    assertThat(EhrFailures.backoff(limits, 0, failureOf(ehr(), "503 7"))).isEqualTo(ms(1000));
    // max-attempts 3: after the first and second failure, not after the third
    assertThat(EhrFailures.mayRetry(limits, 1, reset)).isTrue();
    assertThat(EhrFailures.mayRetry(limits, 2, reset)).isTrue();
    assertThat(EhrFailures.mayRetry(limits, 3, reset)).isFalse();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
    Throwable failure = failureOf(ehr(), "503 Wed, 21 Oct 2015 07:28:00 GMT");
    Clock oneMinuteBefore = Clock.fixed(Instant.parse("2015-10-21T07:27:00Z"), ZoneOffset.UTC);

    assertThat(EhrFailures.retryAfter(failure, oneMinuteBefore)).contains(Duration.ofMinutes(1));
    assertThat(EhrFailures.retryAfter(failure)).contains(Duration.ZERO);
  }

  @Test
  void notFoundIsFinal() {
    Throwable failure =
        catchFailure(() -> ehr().read().resource(Patient.class).withId("nobody").execute());

    assertThat(failure).isInstanceOf(ResourceNotFoundException.class);
    assertThat(EhrFailures.isRetryable(failure)).isFalse();
    assertThat(EhrFailures.retryAfter(failure)).isEmpty();
    assertThat(EhrFailures.describe(failure))
        .startsWith("HTTP 404 Not Found from " + EHR.getBaseUrl() + ": ")
        .contains("nobody");
  }

  @Test
  void connectionRefusedIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String down = "http://127.0.0.1:" + closedPort + "/fhir";
    IGenericClient client =
        EhrTestSupport.clients("secondlook.ehrs.down.base-url=" + down).client("down");

    Throwable failure = failureOf(client, null);

    assertThat(failure).isInstanceOf(FhirClientConnectionException.class);
    assertThat(EhrFailures.isRetryable(failure)).isTrue();
    assertThat(EhrFailures.describe(failure)).isEqualTo("connection refused by " + down);
  }

  @Test
  void aResponseSlowerThanTheReadTimeoutIsRetryable() {
    IGenericClient client =
        EhrTestSupport.clients(
                "secondlook.ehrs.slow.base-url=" + EHR.getBaseUrl(),
                "secondlook.ehrs.slow.limits.read-timeout=300ms")
            .client("slow");

    Throwable failure = failureOf(client, "slow 1500");

    assertThat(EhrFailures.isRetryable(failure)).isTrue();
    assertThat(EhrFailures.describe(failure))
        .isEqualTo("no response from " + EHR.getBaseUrl() + " within the read timeout");
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void overloadAndGatewayStatusesAreRetryable(int status) {
    assertThat(EhrFailures.isRetryable(BaseServerResponseException.newInstance(status, "x")))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 405, 410, 412, 422, 501})
  void otherStatusesAreFinal(int status) {
    assertThat(EhrFailures.isRetryable(BaseServerResponseException.newInstance(status, "x")))
        .isFalse();
  }

  @Test
  void plainIoFailuresAreRetryableAndOthersNot() {
    assertThat(EhrFailures.isRetryable(new SocketTimeoutException("Read timed out"))).isTrue();
    assertThat(EhrFailures.isRetryable(new IllegalStateException("bug"))).isFalse();
    assertThat(EhrFailures.describe(new IllegalStateException("bug")))
        .isEqualTo("IllegalStateException: bug");
  }

  private static IGenericClient ehr() {
    return EhrTestSupport.clients("secondlook.ehrs.sandbox.base-url=" + EHR.getBaseUrl())
        .client("sandbox");
  }

  /** A search of one patient's Observations, with the gate told how to fail it. */
  private static Throwable failureOf(IGenericClient client, String failure) {
    return catchFailure(
        () -> {
          var search =
              client
                  .search()
                  .forResource(Observation.class)
                  .where(Observation.PATIENT.hasId(SyntheticCancerPatients.BREAST))
                  .returnBundle(Bundle.class);
          if (failure != null) {
            search.withAdditionalHeader(SandboxGate.FAILURE, failure);
          }
          search.execute();
        });
  }

  private static Throwable catchFailure(Runnable request) {
    try {
      request.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the request succeeded");
  }
}
