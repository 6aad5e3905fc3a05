package health.secondlook.server.security;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static health.secondlook.server.support.TestParties.RECIPIENT_A;
import static health.secondlook.server.support.TestParties.RECIPIENT_B;
import static health.secondlook.server.support.TestParties.REFERRER_A;
import static health.secondlook.server.support.TestParties.REFERRER_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhrs;
import health.secondlook.server.support.TestIssuer;
import health.secondlook.server.support.TestParties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * SecondLook's FHIR API with real tokens from a real issuer ({@link TestIssuer}): who gets in, and
 * what each organisation then sees of a referral the sandbox hospital made for the tumour board.
 */
@H2ServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirApiAccessTest {

  private static final String ALL = "system/*.cruds";

  @LocalServerPort int port;

  private final HttpClient http = HttpClient.newHttpClient();
  private Task referral;
  private String packet;

  @BeforeAll
  void aReferralOfTheSandboxHospitalForTheTumourBoardHasItsPacket() {
    IGenericClient referrer = as(REFERRER_A, ALL);
    Task created = task(submit(referrer, request(TestEhrs.SANDBOX, TestEhrs.ACCESS_PATIENT)));
    awaitPullEnd(FhirClients.client(base()), created.getIdPart(), Duration.ofMinutes(2));
    referral =
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    as(RECIPIENT_A, ALL)
                        .read()
                        .resource(Task.class)
                        .withId(created.getIdElement().getIdPart())
                        .execute(),
                t -> ReferralTasks.output(t, ReferralTasks.PACKET_OUTPUT).isPresent());
    packet = ReferralTasks.output(referral, ReferralTasks.PACKET_OUTPUT).orElseThrow();
  }

  @Test
  void withoutAUsableTokenEveryRequestButTheDescriptionGetsA401ThatSaysWhy() throws Exception {
    String path = "/fhir/Task/" + referral.getIdPart();
    assertUnauthorized(get(path, null), "needs a bearer token");
    Instant past = Instant.now().minus(Duration.ofHours(2));
    assertUnauthorized(
        get(
            path,
            TestIssuer.get()
                .sign(
                    claims()
                        .issueTime(Date.from(past))
                        .notBeforeTime(Date.from(past))
                        .expirationTime(Date.from(past.plusSeconds(300)))
                        .build())),
        "expired");
    assertUnauthorized(
        get(
            path,
            TestIssuer.get()
                .sign(claims().audience("https://another-server.example/fhir").build())),
        "aud");
    assertUnauthorized(
        get(
            path,
            TestIssuer.get()
                .sign(
                    claims()
                        .notBeforeTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                        .build())),
        "used before");
    assertUnauthorized(
        get(path, TestIssuer.get().sign(claims().issuer("https://unknown-issuer.example").build())),
        "issuer");
    var stranger = new RSAKeyGenerator(2048).generate();
    assertUnauthorized(
        get(
            path,
            TestIssuer.sign(claims().build(), new RSASSASigner(stranger), JWSAlgorithm.RS256)),
        "refused");
    assertUnauthorized(get(path, new PlainJWT(claims().build()).serialize()), "refused");
    assertUnauthorized(
        get(
            path,
            TestIssuer.sign(claims().build(), new MACSigner(new byte[32]), JWSAlgorithm.HS256)),
        "refused");
    assertUnauthorized(get("/fhir/api-docs", null), "needs a bearer token");

    assertThat(get("/fhir/metadata", null).statusCode()).isEqualTo(200);
    HttpResponse<String> smart = get("/fhir/.well-known/smart-configuration", null);
    assertThat(smart.statusCode()).isEqualTo(200);
    assertThat(smart.body())
        .contains("\"token_endpoint\":\"" + TestIssuer.get().issuer() + "/token\"")
        .contains("permission-v2");
    assertThat(get("/.well-known/jwks.json", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenWithoutTheScopeOrOfNoKnownOrganisationGetsA403() {
    assertForbidden(
        () ->
            as(RECIPIENT_A, "user/Patient.rs")
                .read()
                .resource(Task.class)
                .withId(referral.getIdElement().getIdPart())
                .execute(),
        "scopes do not allow");
    assertForbidden(
        () ->
            as(RECIPIENT_A, "user/Task.r")
                .search()
                .forResource(Task.class)
                .returnBundle(Bundle.class)
                .execute(),
        "scopes do not allow");
    IGenericClient unknown = FhirClients.R4.newRestfulGenericClient(base());
    unknown.registerInterceptor(
        new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(
            TestIssuer.get().token("nobody", ALL, Duration.ofMinutes(5), Map.of())));
    assertForbidden(
        () ->
            unknown
                .read()
                .resource(Task.class)
                .withId(referral.getIdElement().getIdPart())
                .execute(),
        "not one of an organisation");
  }

  @Test
  void theOwnerAndTheReferrerSeeTheReferralAndItsPacket() {
    for (String org : List.of(RECIPIENT_A, REFERRER_A)) {
      IGenericClient client = as(org, ALL);
      assertThat(
              client
                  .read()
                  .resource(Task.class)
                  .withId(referral.getIdElement().getIdPart())
                  .execute()
                  .getIdPart())
          .isEqualTo(referral.getIdPart());
      assertThat(client.read().resource(Bundle.class).withUrl(packet).execute().getType())
          .isEqualTo(Bundle.BundleType.DOCUMENT);
      assertThat(
              ids(
                  client
                      .search()
                      .byUrl("Task?_id=" + referral.getIdPart() + "&_include=Task:subject")
                      .returnBundle(Bundle.class)
                      .execute()))
          .contains("Task/" + referral.getIdPart(), referral.getFor().getReference());
    }
  }

  @Test
  void anotherOrganisationCannotReachThePacketByAnyRoute() {
    for (String org : List.of(RECIPIENT_B, REFERRER_B)) {
      IGenericClient other = as(org, ALL);
      String id = referral.getIdElement().getIdPart();
      assertForbidden(
          () -> other.read().resource(Task.class).withId(id).execute(), "not available to you");
      assertForbidden(
          () -> other.read().resource(Bundle.class).withUrl(packet).execute(),
          "not available to you");
      assertForbidden(
          () ->
              other
                  .read()
                  .resource(Patient.class)
                  .withUrl(referral.getFor().getReference())
                  .execute(),
          "not available to you");
      // The same answer for a record that does not exist: the 403 tells nothing.
      assertForbidden(
          () -> other.read().resource(Task.class).withId("no-such-task").execute(),
          "not available to you");
      assertForbidden(
          () -> other.history().onInstance("Task/" + id).returnBundle(Bundle.class).execute(),
          "not available to you");

      assertThat(ids(other.search().byUrl("Task?_id=" + id).returnBundle(Bundle.class).execute()))
          .isEmpty();
      assertThat(
              ids(
                  other
                      .search()
                      .byUrl("Task?_include=Task:subject&_revinclude=Provenance:target&_count=200")
                      .returnBundle(Bundle.class)
                      .execute()))
          .doesNotContain("Task/" + id, referral.getFor().getReference());
      assertThat(
              ids(
                  other
                      .search()
                      .byUrl("Patient?_revinclude=Task:subject&_count=200")
                      .returnBundle(Bundle.class)
                      .execute()))
          .doesNotContain("Task/" + id, referral.getFor().getReference());
      assertThat(
              ids(other.search().byUrl("Bundle?_count=200").returnBundle(Bundle.class).execute()))
          .doesNotContain(packet);

      Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
      transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Task/" + id);
      assertForbidden(() -> other.transaction().withBundle(transaction).execute(), "operators");
      Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
      batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(packet);
      assertForbidden(() -> other.transaction().withBundle(batch).execute(), "operators");
    }
  }

  @Test
  void onlyTheOwnerMovesTheTaskAndOnlyTheReferrerWithdrawsIt() {
    String id = referral.getIdElement().getIdPart();
    Task asReferrer = as(REFERRER_A, ALL).read().resource(Task.class).withId(id).execute();
    asReferrer.setStatus(TaskStatus.ACCEPTED);
    assertForbidden(
        () -> as(REFERRER_A, ALL).update().resource(asReferrer).execute(),
        "Only the organisation the referral is addressed to");

    Task asOwner = as(RECIPIENT_A, ALL).read().resource(Task.class).withId(id).execute();
    asOwner.setStatus(TaskStatus.CANCELLED);
    assertForbidden(
        () -> as(RECIPIENT_A, ALL).update().resource(asOwner).execute(),
        "Only the referring organisation may withdraw");
    assertForbidden(
        () ->
            as(RECIPIENT_A, ALL)
                .operation()
                .onInstance("Task/" + id)
                .named("$proceed")
                .withNoParameters(org.hl7.fhir.r4.model.Parameters.class)
                .execute(),
        "not for a recipient");

    asOwner.setStatus(TaskStatus.RECEIVED);
    as(RECIPIENT_A, ALL).update().resource(asOwner).execute();
    assertThat(
            FhirClients.client(base()).read().resource(Task.class).withId(id).execute().getStatus())
        .isEqualTo(TaskStatus.RECEIVED);
  }

  @Test
  void aReferrerRefersOnlyItsOwnPatientsAndChangesNoRecordDirectly() {
    assertForbidden(
        () -> submit(as(REFERRER_B, ALL), request(TestEhrs.SANDBOX, TestEhrs.SPARE_PATIENT)),
        "source must be 'flaky'");
    assertForbidden(
        () -> as(REFERRER_A, ALL).create().resource(new Patient()).execute(),
        "change through its operations");
    assertForbidden(
        () ->
            as(REFERRER_A, ALL)
                .delete()
                .resourceById("Task", referral.getIdElement().getIdPart())
                .execute(),
        "change through its operations");
    assertForbidden(
        () ->
            as(REFERRER_A, ALL)
                .search()
                .forResource("AuditEvent")
                .returnBundle(Bundle.class)
                .execute(),
        "for auditors");
  }

  @Test
  void aSubscriptionNotifiesOnlyAnEndpointRegisteredForItsOrganisationAndOnlyOfItsRecords() {
    Consumer<String> subscribe =
        endpoint -> as(RECIPIENT_A, ALL).create().resource(subscription(endpoint)).execute();
    assertForbidden(
        () -> subscribe.accept("http://127.0.0.1:9/elsewhere/fhir"),
        "is not registered for tumour-board");
    assertForbidden(
        () ->
            as(RECIPIENT_B, ALL)
                .create()
                .resource(subscription(TestParties.RECIPIENT_A_ENDPOINTS + "fhir"))
                .execute(),
        "is not registered for push-transaction");

    String id =
        as(RECIPIENT_A, ALL)
            .create()
            .resource(subscription(TestParties.RECIPIENT_A_ENDPOINTS + "fhir"))
            .execute()
            .getId()
            .getIdPart();
    Subscription stored =
        FhirClients.client(base()).read().resource(Subscription.class).withId(id).execute();
    assertThat(stored.getCriteria())
        .contains("_security=" + PartyLabels.RECIPIENT_SYSTEM + "|" + RECIPIENT_A);
    assertForbidden(
        () -> as(RECIPIENT_B, ALL).read().resource(Subscription.class).withId(id).execute(),
        "not available to you");

    // Nothing listens there: the test's Subscription goes, so no one retries it.
    FhirClients.client(base()).delete().resourceById("Subscription", id).execute();
  }

  private Subscription subscription(String endpoint) {
    Subscription subscription = new Subscription();
    subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    subscription.setReason("New referrals");
    subscription.setCriteria("Task?status=requested");
    subscription
        .getChannel()
        .setType(Subscription.SubscriptionChannelType.RESTHOOK)
        .setEndpoint(endpoint)
        .setPayload("application/fhir+json");
    return subscription;
  }

  private static List<String> ids(Bundle bundle) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
        .toList();
  }

  private static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(TestIssuer.get().issuer())
        .audience(TestIssuer.AUDIENCE)
        .subject(TestIssuer.OPERATOR)
        .claim("client_id", TestIssuer.OPERATOR)
        .claim("scope", ALL)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)));
  }

  private void assertUnauthorized(HttpResponse<String> response, String reason) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
    OperationOutcome outcome =
        FhirClients.R4.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).containsIgnoringCase(reason);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static void assertForbidden(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).as(e.getMessage()).isEqualTo(403);
              assertThat(e.getMessage()).contains(reason);
            });
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private IGenericClient as(String org, String scope) {
    return TestParties.client(base(), org, scope);
  }

  private String base() {
    return "http://localhost:" + port + "/fhir";
  }
}
