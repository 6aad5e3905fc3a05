package health.secondlook.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhr;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A referrer subscribes to its referral Task with a FHIR rest-hook Subscription and receives every
 * change at its own endpoint, in order, exactly as SecondLook stored it, while the specialist moves
 * the Task through the "Task at fulfiller" statuses with plain FHIR updates.
 */
@H2ServerTest
class TaskSubscriptionTest {

  private static final String REQUESTS = "https://referrer.example.org/requests";
  private static final String NPI = "http://hl7.org/fhir/sid/us-npi";
  private static final List<TaskStatus> SPECIALIST_STEPS =
      List.of(
          TaskStatus.RECEIVED, TaskStatus.ACCEPTED, TaskStatus.INPROGRESS, TaskStatus.COMPLETED);

  private static SubscriberEndpoint referrer;

  @LocalServerPort int port;
  @Autowired IInterceptorService interceptors;

  @BeforeAll
  static void startReferrerEndpoint() {
    referrer = SubscriberEndpoint.start();
  }

  @AfterAll
  static void stopReferrerEndpoint() throws Exception {
    referrer.close();
  }

  @Test
  void referrerReceivesEveryVersionOfItsTaskInOrderExactlyAsStored() {
    String requestId = UUID.randomUUID().toString();
    Subscription subscription =
        subscribe("Task?identifier=" + REQUESTS + "|" + requestId, referrer.baseUrl(), s -> {});
    try {
      Task task = (Task) fhir().create().resource(referralTask(requestId)).execute().getResource();
      String taskId = task.getIdElement().getIdPart();
      for (TaskStatus status : SPECIALIST_STEPS) {
        task = specialistSets(task, status);
      }

      List<Task> stored = history(taskId);
      assertThat(stored)
          .extracting(Task::getStatus)
          .containsExactly(
              TaskStatus.REQUESTED,
              TaskStatus.RECEIVED,
              TaskStatus.ACCEPTED,
              TaskStatus.INPROGRESS,
              TaskStatus.COMPLETED);
      // Exactly one notification per version: wait until all arrived, and two more submission
      // passes to see that nothing is delivered twice.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> referrer.received(taskId).size() >= stored.size());
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> referrer.received(taskId).size() == stored.size());
      List<Task> received = referrer.received(taskId);
      assertThat(received)
          .extracting(t -> t.getMeta().getVersionId())
          .containsExactly("1", "2", "3", "4", "5");
      for (int i = 0; i < stored.size(); i++) {
        assertThat(FhirClients.R4.newJsonParser().encodeResourceToString(received.get(i)))
            .as("version %d as delivered", i + 1)
            .isEqualTo(FhirClients.R4.newJsonParser().encodeResourceToString(stored.get(i)));
      }
    } finally {
      unsubscribe(subscription);
    }
  }

  @Test
  void aReferrerCanFollowAllItsReferralsByItsRequestIdentifierSystem() {
    String requests = "https://referrer-" + UUID.randomUUID() + ".example.org/requests";
    Subscription subscription =
        subscribe("Task?identifier=" + requests + "|", referrer.baseUrl(), s -> {});
    try {
      // Stored first, so it has been matched by the time the referrer's own arrive.
      String someoneElses =
          fhir()
              .create()
              .resource(referralTask(UUID.randomUUID().toString()))
              .execute()
              .getId()
              .getIdPart();
      List<String> mine = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        mine.add(
            fhir()
                .create()
                .resource(referralTask(requests, UUID.randomUUID().toString()))
                .execute()
                .getId()
                .getIdPart());
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> mine.stream().allMatch(id -> referrer.received(id).size() == 1));
      assertThat(referrer.received(someoneElses)).isEmpty();
    } finally {
      unsubscribe(subscription);
    }
  }

  @Test
  void aFailingSubscriberDelaysNobodyElse() {
    Task task =
        (Task)
            fhir()
                .create()
                .resource(referralTask(UUID.randomUUID().toString()))
                .execute()
                .getResource();
    String taskId = task.getIdElement().getIdPart();
    String criteria = "Task?_id=" + taskId;
    Subscription down = subscribe(criteria, TestEhr.unreachableBaseUrl(), s -> {});
    Subscription up = subscribe(criteria, referrer.baseUrl(), s -> {});
    try {
      for (TaskStatus status : SPECIALIST_STEPS) {
        long started = System.nanoTime();
        task = specialistSets(task, status);
        // The update does not wait for any delivery, failing or not.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(task.getStatus()).isEqualTo(status);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(referrer.received(taskId))
                      .extracting(Task::getStatus)
                      .containsExactlyElementsOf(SPECIALIST_STEPS));
      // HAPI keeps retrying the dead endpoint in the background; the subscription stays active.
      assertThat(read(down).getStatus()).isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    } finally {
      unsubscribe(down);
      unsubscribe(up);
    }
  }

  @Test
  void onlyChangesASubscriptionMayFollowAreQueuedForMatching() {
    List<String> matched = new CopyOnWriteArrayList<>();
    Object probe =
        new Object() {
          @Hook(Pointcut.SUBSCRIPTION_BEFORE_PERSISTED_RESOURCE_CHECKED)
          public void checked(ResourceModifiedMessage change) {
            matched.add(change.getPayloadId(FhirClients.R4).toUnqualifiedVersionless().getValue());
          }
        };
    interceptors.registerInterceptor(probe);
    try {
      String observation =
          fhir()
              .create()
              .resource(
                  new Observation()
                      .setStatus(Observation.ObservationStatus.FINAL)
                      .setCode(
                          new CodeableConcept(new Coding("http://loinc.org", "85337-4", null))))
              .execute()
              .getId()
              .toUnqualifiedVersionless()
              .getValue();
      String task =
          fhir()
              .create()
              .resource(referralTask(UUID.randomUUID().toString()))
              .execute()
              .getId()
              .toUnqualifiedVersionless()
              .getValue();
      // The Task was stored after the Observation, so once it is matched the Observation's turn
      // has passed.
      await().atMost(Duration.ofSeconds(30)).until(() -> matched.contains(task));
      assertThat(matched).doesNotContain(observation);
    } finally {
      interceptors.unregisterInterceptor(probe);
    }
  }

  @Test
  void criteriaOnAnotherResourceTypeAreRefused() {
    assertRefused(
        subscription("Observation?code=http://loinc.org|22637-3", referrer.baseUrl()),
        "SecondLook notifies changes to Task only, not Observation");
  }

  @Test
  void criteriaHapiWouldNeverMatchAreRefused() {
    assertRefused(
        subscription("Task?requester:identifier=" + NPI + "|1234567893", referrer.baseUrl()),
        "references cannot be matched by identifier");
  }

  @Test
  void criteriaHapiCannotParseAreRefused() {
    assertRefused(subscription("Task?not-a-parameter=1", referrer.baseUrl()), "not-a-parameter");
  }

  @Test
  void aSubscriptionWithoutCriteriaIsRefused() {
    assertRefused(subscription(null, referrer.baseUrl()), "criteria");
  }

  @Test
  void channelTypesOtherThanRestHookAreRefused() {
    Subscription websocket = subscription("Task?status=completed", null);
    websocket.getChannel().setType(Subscription.SubscriptionChannelType.WEBSOCKET);
    assertRefused(websocket, "websocket");
    Subscription email = subscription("Task?status=completed", "mailto:referrer@example.org");
    email.getChannel().setType(Subscription.SubscriptionChannelType.EMAIL);
    assertRefused(email, "email");
  }

  @Test
  void anEndpointThatIsNotHttpIsRefused() {
    assertRefused(subscription("Task?status=completed", "ftp://referrer.example.org/in"), "ftp");
  }

  private Subscription subscribe(
      String criteria, String endpoint, Consumer<Subscription> customise) {
    Subscription subscription = subscription(criteria, endpoint);
    customise.accept(subscription);
    String id =
        fhir()
            .create()
            .resource(subscription)
            .execute()
            .getId()
            .toUnqualifiedVersionless()
            .getIdPart();
    // HAPI activates a new Subscription asynchronously; only an active one is matched.
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> fhir().read().resource(Subscription.class).withId(id).execute(),
            s -> s.getStatus() == Subscription.SubscriptionStatus.ACTIVE);
  }

  private void unsubscribe(Subscription subscription) {
    fhir().delete().resourceById(subscription.getIdElement().toUnqualifiedVersionless()).execute();
  }

  private Subscription read(Subscription subscription) {
    return fhir()
        .read()
        .resource(Subscription.class)
        .withId(subscription.getIdElement().getIdPart())
        .execute();
  }

  private static Subscription subscription(String criteria, String endpoint) {
    Subscription subscription = new Subscription();
    subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    subscription.setReason("Follow my second-opinion referral");
    subscription.setCriteria(criteria);
    subscription
        .getChannel()
        .setType(Subscription.SubscriptionChannelType.RESTHOOK)
        .setEndpoint(endpoint)
        .setPayload("application/fhir+json");
    return subscription;
  }

  private void assertRefused(Subscription subscription, String problem) {
    assertThatThrownBy(() -> fhir().create().resource(subscription).execute())
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isBetween(400, 499);
              assertThat(e.getOperationOutcome()).isInstanceOf(OperationOutcome.class);
              assertThat(
                      ((OperationOutcome) e.getOperationOutcome())
                          .getIssueFirstRep()
                          .getDiagnostics())
                  .containsIgnoringCase(problem);
            });
  }

  /** The specialist's system changes only the status, with a plain FHIR update of the Task. */
  private Task specialistSets(Task task, TaskStatus status) {
    Task changed = task.copy();
    changed.setStatus(status);
    changed.setLastModified(new Date());
    return (Task) fhir().update().resource(changed).execute().getResource();
  }

  private List<Task> history(String taskId) {
    Task current = fhir().read().resource(Task.class).withId(taskId).execute();
    int latest = Integer.parseInt(current.getMeta().getVersionId());
    List<Task> versions = new ArrayList<>();
    for (int v = 1; v <= latest; v++) {
      versions.add(
          fhir().read().resource(Task.class).withIdAndVersion(taskId, String.valueOf(v)).execute());
    }
    return versions;
  }

  /**
   * A referral Task as SecondLook makes one (BSeR, "Task at fulfiller"), without a records pull.
   */
  private static Task referralTask(String requestId) {
    return referralTask(REQUESTS, requestId);
  }

  private static Task referralTask(String requests, String requestId) {
    Task task = new Task();
    task.addIdentifier(new Identifier().setSystem(requests).setValue(requestId));
    task.setStatus(TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setCode(
        new CodeableConcept(
            new Coding(
                "http://hl7.org/fhir/CodeSystem/task-code",
                "fulfill",
                "Fulfill the focal request")));
    task.setAuthoredOn(new Date());
    task.setRequester(
        new Reference().setIdentifier(new Identifier().setSystem(NPI).setValue("1234567893")));
    task.setOwner(
        new Reference()
            .setIdentifier(
                new Identifier()
                    .setSystem("https://secondlook.health/fhir/recipient")
                    .setValue("tumour-board")));
    task.getRestriction()
        .getPeriod()
        .setEndElement(new DateTimeType(LocalDate.now().plusDays(21).toString()));
    return task;
  }

  private IGenericClient fhir() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }
}
