package health.secondlook.server.delivery;

import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.server.support.FaultInjection;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.Referrals;
import health.secondlook.server.support.TestEhrs;
import health.secondlook.server.support.TestIssuer;
import health.secondlook.server.support.TestRecipient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Packets of referrals really pulled from the sandbox EHR, delivered to real receiving FHIR servers
 * (the sandbox recipient on its own port) in each mode: the recipient ends up with exactly one copy
 * of each packet, signature intact, and the referral Task pointing at it, however often it is sent;
 * failures show on the Task and {@code $redeliver} sends again.
 */
@H2ServerTest
class DeliveryTest {

  private static final Duration DELIVERY = Duration.ofSeconds(90);
  private static final Set<String> ENDS = Set.of("delivered", "delivery-failed");

  @LocalServerPort int port;

  IGenericClient secondLook() {
    return FhirClients.client(base());
  }

  String base() {
    return "http://localhost:" + port + "/fhir";
  }

  IGenericClient recipient() {
    return FhirClients.client(TestEhrs.get().recipient.baseUrl());
  }

  @Test
  void pushedAsATransactionTheRecipientHoldsOneVerifyingCopyAndTheTaskPointingAtIt()
      throws Exception {
    Task delivered =
        awaitDeliveryEnd(
            refer(TestEhrs.DELIVERY_TRANSACTION_PATIENT, TestEhrs.PUSH_TRANSACTION, "tx-1"));

    assertThat(progress(delivered)).isEqualTo("delivered");
    assertThat(delivered.getStatus()).isEqualTo(Task.TaskStatus.RECEIVED);
    assertThat(delivered.getBusinessStatus().getText())
        .contains(TestEhrs.get().recipient.baseUrl(), "push (transaction)", "Bundle/");
    Bundle packet = packetOf(delivered);
    Bundle copy = onlyCopyAtRecipient(packet);
    assertThat(verifies(rawAtRecipient("Bundle/" + copy.getIdPart())))
        .as("the recipient's copy verifies")
        .isTrue();
    Task atRecipient = onlyTaskAtRecipient(delivered);
    assertThat(output(atRecipient, "packet")).isEqualTo("Bundle/" + copy.getIdPart());
    // Logical references: a server that refuses external references takes them.
    assertThat(atRecipient.getFocus().hasReference()).isFalse();
    assertThat(atRecipient.getFocus().getIdentifier().getValue())
        .isEqualTo(base() + "/" + delivered.getFocus().getReference());
    assertThat(atRecipient.getFor().getType()).isEqualTo("Patient");
    assertThat(atRecipient.getFor().getIdentifier().getValue())
        .isEqualTo(base() + "/" + delivered.getFor().getReference());
    assertThat(atRecipient.getIdentifier())
        .extracting(Identifier::getValue)
        .contains(base() + "/Task/" + delivered.getIdPart());

    // Sent again: nothing new at the recipient.
    Task queued = redeliver(delivered);
    assertThat(progress(queued)).isEqualTo("delivery-queued");
    Task again = awaitDeliveryEnd(delivered.getIdPart());
    assertThat(progress(again)).isEqualTo("delivered");
    assertThat(onlyCopyAtRecipient(packet).getIdPart()).isEqualTo(copy.getIdPart());
    assertThat(onlyTaskAtRecipient(delivered).getIdPart()).isEqualTo(atRecipient.getIdPart());

    // A new pull makes a new packet: delivered too, and the recipient's Task now points at it.
    secondLook()
        .operation()
        .onInstance(delivered.getIdElement().toUnqualifiedVersionless())
        .named("$rerun-pull")
        .withNoParameters(Parameters.class)
        .execute();
    Task second =
        await()
            .atMost(DELIVERY)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> read(delivered.getIdPart()),
                t ->
                    ENDS.contains(progress(t))
                        && !packetOf(t).getIdPart().equals(packet.getIdPart()));
    assertThat(progress(second)).isEqualTo("delivered");
    assertThat(second.getStatus()).isEqualTo(Task.TaskStatus.RECEIVED);
    Bundle secondCopy = onlyCopyAtRecipient(packetOf(second));
    assertThat(onlyCopyAtRecipient(packet).getIdPart()).isEqualTo(copy.getIdPart());
    assertThat(output(onlyTaskAtRecipient(delivered), "packet"))
        .isEqualTo("Bundle/" + secondCopy.getIdPart());
  }

  @Test
  void pushedAsAMessageTheRecipientRecognisesARepeatAndKeepsOneCopy() throws Exception {
    Task delivered =
        awaitDeliveryEnd(refer(TestEhrs.DELIVERY_MESSAGE_PATIENT, TestEhrs.PUSH_MESSAGE, "msg-1"));

    assertThat(progress(delivered)).isEqualTo("delivered");
    assertThat(delivered.getBusinessStatus().getText()).contains("push ($process-message)");
    Bundle packet = packetOf(delivered);
    Bundle copy = onlyCopyAtRecipient(packet);
    assertThat(verifies(rawAtRecipient("Bundle/" + copy.getIdPart()))).isTrue();
    Task atRecipient = onlyTaskAtRecipient(delivered);
    assertThat(output(atRecipient, "packet")).isEqualTo("Bundle/" + copy.getIdPart());
    assertThat(atRecipient.getFocus().getReference()).startsWith("ServiceRequest/");
    List<MessageHeader> headers = messagesAbout(delivered);
    assertThat(headers).hasSize(1);
    assertThat(headers.get(0).getEventCoding().getCode()).isEqualTo("second-opinion-referral");
    assertThat(headers.get(0).getEventCoding().getSystem())
        .isEqualTo("https://secondlook.health/fhir/CodeSystem/message-event");

    redeliver(delivered);
    assertThat(progress(awaitDeliveryEnd(delivered.getIdPart()))).isEqualTo("delivered");

    assertThat(onlyCopyAtRecipient(packet).getIdPart()).isEqualTo(copy.getIdPart());
    assertThat(onlyTaskAtRecipient(delivered).getIdPart()).isEqualTo(atRecipient.getIdPart());
    assertThat(messagesAbout(delivered)).as("the same message, recognised").hasSize(1);
  }

  @Test
  void notifiedTheRecipientHoldsOnlyTheTaskWhosePacketLinkServesAVerifyingPacket()
      throws Exception {
    Task delivered =
        awaitDeliveryEnd(
            refer(TestEhrs.DELIVERY_NOTIFY_PATIENT, TestEhrs.NOTIFY_AND_PULL, "notify-1"));

    assertThat(progress(delivered)).isEqualTo("delivered");
    assertThat(delivered.getBusinessStatus().getText()).contains("notify-and-pull");
    Bundle packet = packetOf(delivered);
    assertThat(copiesAtRecipient(packet)).isEmpty();
    Task atRecipient = onlyTaskAtRecipient(delivered);
    String link = output(atRecipient, "packet");
    assertThat(link).isEqualTo(base() + "/Bundle/" + packet.getIdPart());
    assertThat(verifies(get(link))).as("the packet the link serves verifies").isTrue();

    redeliver(delivered);
    assertThat(progress(awaitDeliveryEnd(delivered.getIdPart()))).isEqualTo("delivered");
    assertThat(onlyTaskAtRecipient(delivered).getIdPart()).isEqualTo(atRecipient.getIdPart());
  }

  @Test
  void aRecipientThatIsDownShowsOnTheTaskAndRedeliverWorksOnceItIsBack() throws Exception {
    String downUrl = TestEhrs.get().downRecipientBaseUrl;
    Task failed =
        awaitDeliveryEnd(refer(TestEhrs.DELIVERY_DOWN_PATIENT, TestEhrs.RECIPIENT_DOWN, "down-1"));

    assertThat(progress(failed)).isEqualTo("delivery-failed");
    assertThat(failed.getStatus())
        .as("only the fulfiller changes Task.status")
        .isEqualTo(Task.TaskStatus.REQUESTED);
    assertThat(failed.getStatusReason().getText())
        .contains(
            "Test recipient " + TestEhrs.RECIPIENT_DOWN,
            downUrl,
            "connection refused",
            "4 times",
            "$redeliver");

    // While a delivery is under way, another $redeliver is refused.
    redeliver(failed);
    assertThatThrownBy(() -> redeliver(failed))
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(409);
              assertThat(diagnostics(e)).contains("already under way");
            });
    assertThat(progress(awaitDeliveryEnd(failed.getIdPart()))).isEqualTo("delivery-failed");

    TestRecipient back = TestRecipient.start(URI.create(downUrl).getPort(), null);
    try {
      redeliver(failed);
      Task delivered = awaitDeliveryEnd(failed.getIdPart());
      assertThat(progress(delivered)).isEqualTo("delivered");
      assertThat(delivered.hasStatusReason()).isFalse();
      Bundle packet = packetOf(delivered);
      List<Resource> copies =
          search(FhirClients.client(back.baseUrl()), "Bundle", packet.getIdentifier());
      assertThat(copies).hasSize(1);
    } finally {
      back.stop();
    }
  }

  @Test
  void withThirtyPercentOfRequestsFailingEveryPacketArrivesExactlyOnce() throws Exception {
    FaultInjection faults = TestEhrs.get().flakyRecipient.faults();
    List<String> taskIds =
        TestEhrs.DELIVERY_FLAKY_PATIENTS.stream()
            .map(p -> refer(p, TestEhrs.FLAKY_RECIPIENT, "flaky-" + p))
            .toList();
    List<Task> ends = taskIds.stream().map(this::awaitDeliveryEnd).toList();
    faults.setFailureRate(0); // so that counting at the recipient is not itself flaky

    assertThat(ends).allSatisfy(t -> assertThat(progress(t)).isEqualTo("delivered"));
    assertThat(faults.injected()).as("faults were injected").isGreaterThan(0);
    IGenericClient flaky = FhirClients.client(TestEhrs.get().flakyRecipient.baseUrl());
    for (Task task : ends) {
      assertThat(search(flaky, "Bundle", packetOf(task).getIdentifier()))
          .as("copies of the packet of Task/%s", task.getIdPart())
          .hasSize(1);
      assertThat(search(flaky, "Task", task.getIdentifierFirstRep())).hasSize(1);
    }
  }

  @Test
  void aBadRedeliverIsRefusedWithAnOperationOutcome() {
    assertThatThrownBy(
            () ->
                secondLook()
                    .operation()
                    .onInstance("Task/no-such-task")
                    .named("$redeliver")
                    .withNoParameters(Parameters.class)
                    .execute())
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(404);
              assertThat(e.getOperationOutcome()).isInstanceOf(OperationOutcome.class);
            });

    Task inSecondLook =
        Referrals.awaitPullEnd(
            secondLook(),
            refer(TestEhrs.DELIVERY_NONE_PATIENT, "tumour-board", "none-1"),
            DELIVERY);
    assertThat(progress(inSecondLook)).isEqualTo("records-complete");
    assertThatThrownBy(() -> redeliver(inSecondLook))
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(412);
              assertThat(diagnostics(e))
                  .contains("tumour-board", "no delivery mode", "delivery.mode");
            });
  }

  private String refer(String patient, String recipient, String requestId) {
    Parameters request = Referrals.request(TestEhrs.SANDBOX, patient, "delivery-" + requestId);
    request.getParameter().stream()
        .filter(p -> p.getName().equals("recipient"))
        .forEach(p -> p.setValue(new StringType(recipient)));
    return task(submit(secondLook(), request)).getIdPart();
  }

  private Task awaitDeliveryEnd(String taskId) {
    return await()
        .atMost(DELIVERY)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> read(taskId), t -> ENDS.contains(progress(t)));
  }

  private Task read(String taskId) {
    return secondLook().read().resource(Task.class).withId(taskId).execute();
  }

  private Task redeliver(Task task) {
    return secondLook()
        .operation()
        .onInstance(task.getIdElement().toUnqualifiedVersionless())
        .named("$redeliver")
        .withNoParameters(Parameters.class)
        .returnResourceType(Task.class)
        .execute();
  }

  private Bundle packetOf(Task task) {
    return secondLook().read().resource(Bundle.class).withUrl(output(task, "packet")).execute();
  }

  private Bundle onlyCopyAtRecipient(Bundle packet) {
    List<Resource> copies = copiesAtRecipient(packet);
    assertThat(copies).as("copies of packet %s", packet.getIdentifier().getValue()).hasSize(1);
    return (Bundle) copies.get(0);
  }

  private List<Resource> copiesAtRecipient(Bundle packet) {
    return search(recipient(), "Bundle", packet.getIdentifier());
  }

  private Task onlyTaskAtRecipient(Task task) {
    List<Resource> tasks = search(recipient(), "Task", task.getIdentifierFirstRep());
    assertThat(tasks).as("the recipient's copies of Task/%s", task.getIdPart()).hasSize(1);
    return (Task) tasks.get(0);
  }

  /** The recipient's MessageHeaders whose focus is its copy of the Task. */
  private List<MessageHeader> messagesAbout(Task task) {
    String taskUrl = "Task/" + onlyTaskAtRecipient(task).getIdPart();
    return recipient()
        .search()
        .forResource(MessageHeader.class)
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .stream()
        .map(e -> (MessageHeader) e.getResource())
        .filter(h -> h.getFocus().stream().anyMatch(f -> taskUrl.equals(f.getReference())))
        .toList();
  }

  private static List<Resource> search(IGenericClient client, String type, Identifier identifier) {
    return client
        .search()
        .forResource(type)
        .where(
            new TokenClientParam("identifier")
                .exactly()
                .systemAndCode(identifier.getSystem(), identifier.getValue()))
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .collect(Collectors.toList());
  }

  /** The packet as the recipient serves it, byte for byte. */
  private String rawAtRecipient(String reference) throws Exception {
    return get(TestEhrs.get().recipient.baseUrl() + "/" + reference);
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                TestIssuer.asOperator(URI.create(url))
                    .header("Accept", "application/fhir+json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
    return response.body();
  }

  /** SecondLook's {@code Bundle/$verify-signature} on a posted Bundle. */
  private boolean verifies(String bundleJson) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                TestIssuer.asOperator(URI.create(base() + "/Bundle/$verify-signature"))
                    .header("Content-Type", "application/fhir+json")
                    .header("Accept", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(bundleJson))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Parameters result =
        FhirClients.R4.newJsonParser().parseResource(Parameters.class, response.body());
    return ((BooleanType) result.getParameterValue("valid")).booleanValue();
  }

  private static String output(Task task, String type) {
    return task.getOutput().stream()
        .filter(o -> o.getType().getCodingFirstRep().getCode().equals(type))
        .map(o -> (Reference) o.getValue())
        .map(r -> r.hasReference() ? r.getReference() : r.getIdentifier().getValue())
        .findFirst()
        .orElseThrow(() -> new AssertionError("Task has no " + type + " output"));
  }

  private static String diagnostics(BaseServerResponseException e) {
    return ((OperationOutcome) e.getOperationOutcome()).getIssueFirstRep().getDiagnostics();
  }
}
