package health.secondlook.server.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.test.utilities.server.RestfulServerExtension;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.smart.MutableClock;
import health.secondlook.server.smart.SmartTokenException;
import health.secondlook.server.smart.TestKeys;
import health.secondlook.server.smart.TestTokenServer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * EHR clients against the sandbox EHR over HTTP, authenticated each supported way, with a real
 * token endpoint checking SecondLook's client assertions.
 */
class EhrClientsTest {

  private static final SandboxGate GATE = new SandboxGate();

  @RegisterExtension static final RestfulServerExtension EHR = EhrTestSupport.sandbox(GATE);

  @TempDir Path dir;

  private final TestTokenServer tokenServer = TestTokenServer.start();
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void resetGate() {
    GATE.reset();
  }

  @AfterEach
  void stopTokenServer() {
    tokenServer.close();
  }

  @Test
  void rs384SmartBackendServicesTokenOpensTheEhr() {
    GATE.requireToken(tokenServer::isValid);
    IGenericClient client = smartClient(TestKeys.rsa(), "RS384").client("hospital-a");

    assertThat(breastPatientReports(client)).isNotEmpty();
    assertThat(
            client
                .read()
                .resource(Patient.class)
                .withId(SyntheticCancerPatients.BREAST)
                .execute()
                .getIdPart())
        .isEqualTo(SyntheticCancerPatients.BREAST);
    assertThat(tokenServer.acceptedHeaders())
        .singleElement()
        .satisfies(h -> assertThat(h.getAlgorithm().getName()).isEqualTo("RS384"));
  }

  @Test
  void es384SmartBackendServicesTokenOpensTheEhr() {
    GATE.requireToken(tokenServer::isValid);
    IGenericClient client = smartClient(TestKeys.ecP384(), "ES384").client("hospital-a");

    assertThat(breastPatientReports(client)).isNotEmpty();
    assertThat(tokenServer.acceptedHeaders())
        .singleElement()
        .satisfies(h -> assertThat(h.getAlgorithm().getName()).isEqualTo("ES384"));
  }

  @Test
  void oneTokenServesManyRequestsAndIsRenewedBeforeItExpires() {
    GATE.requireToken(tokenServer::isValid);
    tokenServer.expiresIn(300);
    IGenericClient client = smartClient(TestKeys.rsa(), "RS384").client("hospital-a");

    for (int i = 0; i < 4; i++) {
      breastPatientReports(client);
    }
    assertThat(tokenServer.tokenRequests()).isEqualTo(1);
    assertThat(GATE.authorizations())
        .hasSizeGreaterThanOrEqualTo(4)
        .allMatch(GATE.authorizations().get(0)::equals);

    clock.advance(Duration.ofSeconds(241));
    breastPatientReports(client);

    assertThat(tokenServer.tokenRequests()).isEqualTo(2);
    assertThat(GATE.authorizations().get(GATE.authorizations().size() - 1))
        .startsWith("Bearer ")
        .isNotEqualTo(GATE.authorizations().get(0));
  }

  @Test
  void tokenUrlIsDiscoveredFromTheEhrsSmartConfiguration() {
    GATE.requireToken(tokenServer::isValid);
    GATE.advertiseTokenEndpoint(tokenServer.tokenUrl());
    KeyPair pair = TestKeys.rsa();
    tokenServer.register("secondlook", "key-1", pair.getPublic());
    EhrClients clients =
        EhrTestSupport.clients(
            clock,
            "secondlook.ehrs.hospital-a.base-url=" + EHR.getBaseUrl(),
            "secondlook.ehrs.hospital-a.auth.mode=smart-backend",
            "secondlook.ehrs.hospital-a.auth.client-id=secondlook",
            "secondlook.ehrs.hospital-a.auth.key-id=key-1",
            "secondlook.ehrs.hospital-a.auth.key-file="
                + TestKeys.writePkcs8Pem(pair, dir.resolve("k.pem")));

    assertThat(breastPatientReports(clients.client("hospital-a"))).isNotEmpty();
    assertThat(tokenServer.tokenRequests()).isEqualTo(1);
  }

  @Test
  void bearerModeSendsTheConfiguredToken() {
    GATE.requireToken("issued-out-of-band"::equals);
    EhrClients clients =
        EhrTestSupport.clients(
            "secondlook.ehrs.hospital-b.base-url=" + EHR.getBaseUrl(),
            "secondlook.ehrs.hospital-b.auth.mode=bearer",
            "secondlook.ehrs.hospital-b.auth.token=issued-out-of-band");

    assertThat(breastPatientReports(clients.client("hospital-b"))).isNotEmpty();
    assertThat(GATE.authorizations()).isNotEmpty().allMatch("Bearer issued-out-of-band"::equals);
  }

  @Test
  void noneModeSendsNoAuthorization() {
    EhrClients clients =
        EhrTestSupport.clients("secondlook.ehrs.sandbox.base-url=" + EHR.getBaseUrl());

    assertThat(breastPatientReports(clients.client("sandbox"))).isNotEmpty();
    assertThat(GATE.authorizations()).isNotEmpty().allMatch(String::isEmpty);
  }

  @Test
  void aKeyTheEhrDoesNotKnowIsRefusedNamingTheEhrAndTokenUrl() {
    EhrClients clients = smartClient(TestKeys.rsa(), "RS384");
    tokenServer.register("secondlook", "key-1", TestKeys.rsa().getPublic());

    assertThatThrownBy(() -> breastPatientReports(clients.client("hospital-a")))
        .isInstanceOf(SmartTokenException.class)
        .hasMessageContaining("EHR 'hospital-a'")
        .hasMessageContaining(tokenServer.tokenUrl())
        .satisfies(e -> assertThat(EhrFailures.isRetryable(e)).isFalse())
        .satisfies(e -> assertThat(EhrFailures.describe(e)).isEqualTo(e.getMessage()));
    assertThat(GATE.authorizations()).isEmpty();
  }

  @Test
  void aRevokedTokenIsDroppedAndOneRetryGetsANewOne() {
    GATE.requireToken(tokenServer::isValid);
    IGenericClient client = smartClient(TestKeys.rsa(), "RS384").client("hospital-a");
    breastPatientReports(client);

    tokenServer.revokeAll();
    assertThatThrownBy(() -> breastPatientReports(client))
        .isInstanceOf(AuthenticationException.class)
        .satisfies(e -> assertThat(EhrFailures.isRetryable(e)).isTrue());

    assertThat(breastPatientReports(client)).isNotEmpty();
    assertThat(tokenServer.tokenRequests()).isEqualTo(2);
  }

  @Test
  void invalidatingTheTokenMakesTheNextRequestAskForANewOne() {
    GATE.requireToken(tokenServer::isValid);
    EhrClients clients = smartClient(TestKeys.rsa(), "RS384");
    breastPatientReports(clients.client("hospital-a"));

    clients.invalidateToken("hospital-a");
    breastPatientReports(clients.client("hospital-a"));

    assertThat(tokenServer.tokenRequests()).isEqualTo(2);
  }

  @Test
  void aNewTokenThatIsRefusedIsNotRetriedAgain() {
    GATE.requireToken(tokenServer::isValid);
    IGenericClient client = smartClient(TestKeys.rsa(), "RS384").client("hospital-a");
    breastPatientReports(client);

    GATE.requireToken(token -> false);
    Throwable expired = catchFailure(client);
    Throwable refused = catchFailure(client);

    assertThat(EhrFailures.isRetryable(expired)).isTrue();
    assertThat(EhrFailures.isRetryable(refused)).isFalse();
    assertThat(EhrFailures.describe(refused))
        .isEqualTo("HTTP 401 Unauthorized from " + EHR.getBaseUrl() + ": invalid or expired token");
  }

  @Test
  void aRefusedBearerTokenIsNotRetryable() {
    GATE.requireToken("the-right-one"::equals);
    EhrClients clients =
        EhrTestSupport.clients(
            "secondlook.ehrs.hospital-b.base-url=" + EHR.getBaseUrl(),
            "secondlook.ehrs.hospital-b.auth.mode=bearer",
            "secondlook.ehrs.hospital-b.auth.token=a-wrong-one");

    assertThat(EhrFailures.isRetryable(catchFailure(clients.client("hospital-b")))).isFalse();
  }

  @Test
  void unknownElementsAndInvalidCodesAreSkippedNotFatal() {
    IGenericClient client =
        EhrTestSupport.clients("secondlook.ehrs.sandbox.base-url=" + EHR.getBaseUrl())
            .client("sandbox");

    Patient patient =
        client.read().resource(Patient.class).withId(SandboxGate.ODD_PATIENT).execute();

    assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1960-02-01");
  }

  @Test
  void clientsAreMadeOncePerEhrAndOnlyForConfiguredOnes() {
    EhrClients clients =
        EhrTestSupport.clients(
            "secondlook.ehrs.a.base-url=" + EHR.getBaseUrl(),
            "secondlook.ehrs.b.base-url=" + EHR.getBaseUrl());

    assertThat(clients.client("a")).isSameAs(clients.client("a")).isNotSameAs(clients.client("b"));
    assertThat(clients.client("a").getFhirContext())
        .isNotSameAs(clients.client("b").getFhirContext());
    assertThatThrownBy(() -> clients.client("c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No EHR named 'c' is configured; known: [a, b]");
  }

  private EhrClients smartClient(KeyPair pair, String algorithm) {
    tokenServer.register("secondlook", "key-1", pair.getPublic());
    return EhrTestSupport.clients(
        clock,
        "secondlook.ehrs.hospital-a.base-url=" + EHR.getBaseUrl(),
        "secondlook.ehrs.hospital-a.auth.mode=smart-backend",
        "secondlook.ehrs.hospital-a.auth.client-id=secondlook",
        "secondlook.ehrs.hospital-a.auth.key-id=key-1",
        "secondlook.ehrs.hospital-a.auth.algorithm=" + algorithm,
        "secondlook.ehrs.hospital-a.auth.token-url=" + tokenServer.tokenUrl(),
        "secondlook.ehrs.hospital-a.auth.key-file="
            + TestKeys.writePkcs8Pem(pair, dir.resolve("k.pem")));
  }

  private static List<Bundle.BundleEntryComponent> breastPatientReports(IGenericClient client) {
    return client
        .search()
        .forResource(DiagnosticReport.class)
        .where(DiagnosticReport.PATIENT.hasId(SyntheticCancerPatients.BREAST))
        .returnBundle(Bundle.class)
        .execute()
        .getEntry();
  }

  private static Throwable catchFailure(IGenericClient client) {
    try {
      breastPatientReports(client);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the request succeeded");
  }
}
