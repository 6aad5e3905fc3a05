package health.secondlook.server.turnaround;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.turnaround.StatusHistory.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every referral Task carries when it first reached each status, written by SecondLook as the Task
 * is stored; clients cannot forge the history or lose it by leaving it out of an update.
 */
@H2ServerTest
class StatusHistoryTest {

  private static final Instant LONG_AGO = Instant.parse("2001-01-01T00:00:00Z");

  @LocalServerPort int port;

  @Test
  void aNewTaskWasRequestedWhenItWasAuthored() {
    // authoredOn is a dateTime, which HAPI keeps to the second.
    Instant authored =
        Instant.now()
            .minus(Duration.ofMinutes(5))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Task task = create(referral(authored));

    assertThat(StatusHistory.read(task)).containsExactly(new Entry("requested", authored));
  }

  @Test
  void eachStatusIsRecordedTheFirstTimeItIsReached() {
    Task task = create(referral(Instant.now()));
    Instant beforeReceived = Instant.now().minusMillis(1);
    task = update(withStatus(task, TaskStatus.RECEIVED));
    Instant afterReceived = Instant.now().plusMillis(1);
    task = update(withStatus(task, TaskStatus.ONHOLD));
    task = update(withStatus(task, TaskStatus.RECEIVED));

    List<Entry> history = StatusHistory.read(task);
    assertThat(history)
        .extracting(Entry::status)
        .containsExactly("requested", "received", "on-hold");
    assertThat(history.get(1).time()).isBetween(beforeReceived, afterReceived);
  }

  @Test
  void aClientCannotForgeTheHistory() {
    Task forged = referral(Instant.now());
    StatusHistory.write(forged, List.of(new Entry("completed", LONG_AGO)));
    Task task = create(forged);
    assertThat(StatusHistory.read(task)).extracting(Entry::status).containsExactly("requested");

    Task rewritten = withStatus(task, TaskStatus.RECEIVED);
    StatusHistory.write(
        rewritten, List.of(new Entry("requested", LONG_AGO), new Entry("accepted", LONG_AGO)));
    task = update(rewritten);

    List<Entry> history = StatusHistory.read(task);
    assertThat(history).extracting(Entry::status).containsExactly("requested", "received");
    assertThat(history).extracting(Entry::time).doesNotContain(LONG_AGO);
  }

  @Test
  void anUpdateWithoutTheHistoryKeepsIt() {
    Task task = update(withStatus(create(referral(Instant.now())), TaskStatus.RECEIVED));
    List<Entry> before = StatusHistory.read(task);

    Task plain = withStatus(task, TaskStatus.ACCEPTED);
    plain.getExtension().clear();
    task = update(plain);

    List<Entry> after = StatusHistory.read(task);
    assertThat(after).hasSize(3).startsWith(before.toArray(Entry[]::new));
    assertThat(after.get(2).status()).isEqualTo("accepted");
    // Read back from the database, not from the update's response.
    assertThat(StatusHistory.read(read(task))).isEqualTo(after);
  }

  private static Task referral(Instant authored) {
    Task task = new Task();
    task.setStatus(TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setCode(
        new CodeableConcept(
            new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
    task.setAuthoredOn(Date.from(authored));
    return task;
  }

  private static Task withStatus(Task task, TaskStatus status) {
    Task changed = task.copy();
    changed.setStatus(status);
    return changed;
  }

  private Task create(Task task) {
    return (Task) fhir().create().resource(task).execute().getResource();
  }

  private Task update(Task task) {
    return (Task) fhir().update().resource(task).execute().getResource();
  }

  private Task read(Task task) {
    return fhir().read().resource(Task.class).withId(task.getIdElement().getIdPart()).execute();
  }

  private IGenericClient fhir() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }
}
