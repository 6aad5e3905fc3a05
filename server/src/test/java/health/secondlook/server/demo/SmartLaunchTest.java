package health.secondlook.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.support.DemoServerTest;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.Referrals;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The SMART App Launch between the demo's sandbox EHR (a real Spring Authorization Server) and
 * SecondLook, over HTTP as a browser makes it: the EHR launch from the chart, the standalone launch
 * with the EHR's patient picker, and every way it must fail safely: a tampered {@code state}, a
 * token response without {@code patient}, an unknown {@code iss}, a user the EHR does not let
 * launch the app, a code used twice. PKCE is always S256.
 */
@DemoServerTest
class SmartLaunchTest {

  private static final String CALLBACK = "/login/oauth2/code/";

  @LocalServerPort int port;
  @Autowired SandboxUsers users;
  @Autowired SandboxLaunchContexts launches;
  @Autowired SandboxClients clients;

  private String iss() {
    return "http://localhost:" + port + DemoSandboxConfiguration.SANDBOX_PATH;
  }

  private BrowserlessSession oncologist() {
    BrowserlessSession browser = new BrowserlessSession(port);
    HttpResponse<String> signedIn =
        browser.signInToSandbox(SandboxUsers.ONCOLOGIST, users.password(SandboxUsers.ONCOLOGIST));
    assertThat(signedIn.uri().getPath()).isEqualTo(SandboxChartController.CHART_PATH);
    return browser;
  }

  /**
   * Presses "Request a second opinion" in the patient's chart, up to the callback to SecondLook.
   */
  private String launchFromChart(BrowserlessSession browser, String patient) {
    HttpResponse<String> chart = browser.open(SandboxChartController.CHART_PATH + "/" + patient);
    assertThat(chart.body()).contains("Request a second opinion");
    String path = SandboxChartController.CHART_PATH + "/" + patient + "/second-opinion";
    return browser.followUntil(browser.postStep(path, chart.body(), Map.of()), CALLBACK);
  }

  @Test
  void anEhrLaunchFromTheChartOpensTheComposerWithThatPatientsPreview() {
    BrowserlessSession browser = oncologist();
    String callback = launchFromChart(browser, SyntheticCancerPatients.BREAST_INCOMPLETE);
    HttpResponse<String> composer = browser.open(callback);

    assertThat(composer.statusCode()).isEqualTo(200);
    assertThat(composer.uri().getPath()).isEqualTo("/referrer/compose");
    assertThat(composer.body()).contains("Dina Testpatient", "SBX-0004");
    assertThat(composer.body())
        .containsPattern(
            "data-item=\"pathology-report\">\\s*<td>Pathology or biopsy report</td>\\s*<td><span class=\"status missing\"");

    Map<String, List<String>> authorize =
        query(browser.visitedStartingWith("/sandbox-ehr/oauth2/authorize"));
    assertThat(authorize.get("launch")).singleElement().asString().isNotBlank();
    assertThat(authorize.get("aud")).containsExactly(iss());
    assertThat(authorize.get("code_challenge_method")).containsExactly("S256");
    assertThat(authorize.get("code_challenge"))
        .singleElement()
        .asString()
        .matches("[A-Za-z0-9_-]{43}");
    assertThat(authorize.get("state")).singleElement().asString().hasSizeGreaterThanOrEqualTo(20);
    assertThat(authorize.get("scope").get(0).split(" "))
        .contains("launch", "openid", "fhirUser", "patient/*.rs");
  }

  @Test
  void everyPartyIsAskedWithPkceS256AndNeverPlain() {
    for (String registration :
        List.of("ehr-sandbox", "sign-in-tumour-board", "specialist-ehr-tumour-board")) {
      BrowserlessSession browser = new BrowserlessSession(port);
      HttpResponse<String> redirect = browser.step("/oauth2/authorization/" + registration);
      String location = redirect.headers().firstValue("Location").orElseThrow();
      Map<String, List<String>> request = query(location);

      assertThat(request.get("code_challenge_method")).as(registration).containsExactly("S256");
      assertThat(request.get("code_challenge")).as(registration).hasSize(1);
      assertThat(location).as(registration).doesNotContainIgnoringCase("plain");
    }
  }

  @Test
  void aTamperedStateIsRefusedAndSignsNoOneIn() {
    BrowserlessSession browser = oncologist();
    String callback = launchFromChart(browser, SyntheticCancerPatients.BREAST);
    String state = rawState(callback);
    String tampered = callback.replace("state=" + state, "state=x" + state.substring(1));

    HttpResponse<String> refused = browser.open(tampered);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("This sign-in was not started here")
        .doesNotContain("Exception");
    assertThat(browser.open("/referrer/compose").uri().getPath()).isEqualTo("/sign-in");
  }

  @Test
  void aTokenResponseWithoutAPatientIsRefused() {
    BrowserlessSession browser = oncologist();
    String launch = launches.create(null, List.of());

    HttpResponse<String> refused = browser.open("/launch?iss=" + iss() + "&launch=" + launch);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("No patient in context", "did not say which patient");
    assertThat(browser.open("/referrer/compose").uri().getPath()).isEqualTo("/sign-in");
  }

  @Test
  void anUnknownIssIsRefusedBeforeAnythingIsSentToIt() {
    BrowserlessSession browser = new BrowserlessSession(port);

    HttpResponse<String> refused =
        browser.open("/launch?iss=https://ehr.unknown.example/fhir&launch=abc");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("SecondLook is not set up for this EHR", "https://ehr.unknown.example/fhir");
    assertThat(browser.visited).noneMatch(u -> u.contains("unknown.example/fhir/"));
  }

  @Test
  void aUserTheEhrDoesNotLetLaunchTheAppSeesAccessDenied() {
    BrowserlessSession browser = new BrowserlessSession(port);
    browser.signInToSandbox(SandboxUsers.SPECIALIST, users.password(SandboxUsers.SPECIALIST));
    String launch = launches.create(SyntheticCancerPatients.BREAST, List.of());

    HttpResponse<String> refused = browser.open("/launch?iss=" + iss() + "&launch=" + launch);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("Access was not granted", "access_denied");
  }

  @Test
  void aCodeCannotBeUsedTwice() {
    BrowserlessSession browser = oncologist();
    String callback = launchFromChart(browser, SyntheticCancerPatients.BREAST);
    assertThat(browser.open(callback).uri().getPath()).isEqualTo("/referrer/compose");

    // A new sign-in is under way in this browser, and someone replays the old code with its state.
    String fresh = launchFromChart(browser, SyntheticCancerPatients.BREAST);
    String replayed = callback.replace(rawState(callback), rawState(fresh));
    HttpResponse<String> refused = browser.open(replayed);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("The sign-in code was refused");
  }

  @Test
  void aStandaloneLaunchLetsTheEhrPickThePatient() {
    BrowserlessSession browser = oncologist();
    HttpResponse<String> picker = browser.open("/launch?iss=" + iss());
    assertThat(picker.uri().getPath()).isEqualTo(SandboxChartController.PICK_PATIENT_PATH);
    assertThat(
            query(browser.visitedStartingWith("/sandbox-ehr/oauth2/authorize"))
                .get("scope")
                .get(0)
                .split(" "))
        .contains("launch/patient")
        .doesNotContain("launch");
    String resume = query(picker.uri().toString()).get("continue").get(0);

    HttpResponse<String> composer =
        browser.post(
            SandboxChartController.PICK_PATIENT_PATH,
            picker.body(),
            Map.of("continue", resume, "patient", SyntheticCancerPatients.BREAST));

    assertThat(composer.uri().getPath()).isEqualTo("/referrer/compose");
    assertThat(composer.body()).contains("Ada Testpatient");
  }

  @Test
  void aSpecialistLaunchedFromTheirEhrWithTheReceivedTaskLandsOnThatReferral() {
    IGenericClient secondLook = FhirClients.client("http://localhost:" + port + "/fhir");
    Task ours =
        Referrals.task(
            Referrals.submit(
                secondLook, Referrals.request("sandbox", SyntheticCancerPatients.COLORECTAL)));
    String id = ours.getIdElement().getIdPart();
    Referrals.awaitProgress(secondLook, id, "delivered", Duration.ofSeconds(60));
    String theirs = recipientTaskFor(id);
    BrowserlessSession browser = new BrowserlessSession(port);
    browser.signInToSandbox(SandboxUsers.SPECIALIST, users.password(SandboxUsers.SPECIALIST));
    HttpResponse<String> worklist = browser.open(SandboxChartController.SPECIALIST_EHR_PATH);

    HttpResponse<String> referral =
        browser.post(
            SandboxChartController.SPECIALIST_EHR_PATH + "/" + theirs + "/open",
            worklist.body(),
            Map.of());

    assertThat(referral.uri().getPath()).isEqualTo("/specialist/referrals/" + id);
    assertThat(referral.body()).contains("Signature verified");
    assertThat(query(browser.visitedStartingWith("/sandbox-ehr/oauth2/authorize")).get("aud"))
        .containsExactly("http://localhost:" + port + DemoSandboxConfiguration.RECIPIENT_PATH);
    // The sandbox holds no secret for this client: the code was exchanged with private_key_jwt.
    assertThat(
            clients.findByClientId("secondlook-tumour-board-ehr").getClientAuthenticationMethods())
        .containsExactly(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
  }

  @Test
  void aSpecialistLaunchWithATaskThatIsNoReferralSaysSo() {
    BrowserlessSession browser = new BrowserlessSession(port);
    browser.signInToSandbox(SandboxUsers.SPECIALIST, users.password(SandboxUsers.SPECIALIST));
    String launch = launches.create(null, List.of(Map.of("reference", "Task/not-a-referral")));

    HttpResponse<String> page =
        browser.open(
            "/launch?iss=http://localhost:"
                + port
                + DemoSandboxConfiguration.RECIPIENT_PATH
                + "&launch="
                + launch);

    assertThat(page.uri().getPath()).isEqualTo("/specialist/launched");
    assertThat(page.body())
        .contains("The referral could not be found", "Task/not-a-referral")
        .doesNotContain("Exception");
  }

  /** The receiving system's copy of SecondLook's referral Task {@code id}. */
  private String recipientTaskFor(String id) {
    Bundle tasks =
        FhirClients.client("http://localhost:" + port + DemoSandboxConfiguration.RECIPIENT_PATH)
            .search()
            .forResource(Task.class)
            .count(200)
            .returnBundle(Bundle.class)
            .execute();
    return tasks.getEntry().stream()
        .map(e -> (Task) e.getResource())
        .filter(
            t ->
                t.getIdentifier().stream()
                    .anyMatch(i -> i.getValue() != null && i.getValue().endsWith("/Task/" + id)))
        .map(t -> t.getIdElement().getIdPart())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void pagesMayBeFramedOnlyBySecondLookAndItsLaunchingEhrs() {
    HttpResponse<String> page = new BrowserlessSession(port).open("/sign-in");

    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue("frame-ancestors 'self' http://localhost:" + port);
    assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
  }

  /** The {@code state} as it stands, still URL-encoded, in a callback address. */
  private static String rawState(String callback) {
    java.util.regex.Matcher state =
        java.util.regex.Pattern.compile("[?&]state=([^&]+)").matcher(callback);
    assertThat(state.find()).as(callback).isTrue();
    return state.group(1);
  }

  private static Map<String, List<String>> query(String url) {
    Map<String, List<String>> decoded = new java.util.LinkedHashMap<>();
    UriComponentsBuilder.fromUri(URI.create(url))
        .build()
        .getQueryParams()
        .forEach(
            (k, v) ->
                decoded.put(
                    k,
                    v.stream()
                        .map(
                            x ->
                                java.net.URLDecoder.decode(
                                    x == null ? "" : x, java.nio.charset.StandardCharsets.UTF_8))
                        .toList()));
    return decoded;
  }
}
