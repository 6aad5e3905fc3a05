package health.secondlook.server.turnaround;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** How turnaround figures are worked out from referrals' status histories. */
class TurnaroundFiguresTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Zurich");
  private static final Instant REQUESTED = Instant.parse("2026-03-02T08:00:00Z");

  @Test
  void percentilesInterpolateBetweenTheNearestRanks() {
    long[] hours = {1, 2, 3, 4};
    long[] millis = java.util.Arrays.stream(hours).map(h -> h * 3_600_000).toArray();
    assertThat(TurnaroundFigures.percentile(millis, 0.5)).contains(Duration.ofMinutes(150));
    assertThat(TurnaroundFigures.percentile(millis, 0.9)).contains(Duration.ofMinutes(222));
    assertThat(TurnaroundFigures.percentile(new long[] {42}, 0.9)).contains(Duration.ofMillis(42));
    assertThat(TurnaroundFigures.percentile(new long[0], 0.5)).isEmpty();
  }

  @Test
  void aDueDateIsDueUntilTheEndOfThatDay() {
    Referral dueToday = referral("requested", "2026-11-25");
    Instant lastMinute = LocalDate.parse("2026-11-25").atTime(23, 59).atZone(ZONE).toInstant();
    Instant nextDay = LocalDate.parse("2026-11-26").atStartOfDay(ZONE).toInstant();

    assertThat(dueToday.overdueAt(lastMinute)).isFalse();
    assertThat(dueToday.overdueAt(nextDay)).isTrue();
    assertThat(referral("completed", "2026-11-25").overdueAt(nextDay)).isFalse();
    assertThat(referral("in-progress", "2026-11-25T12:00:00+01:00").overdueAt(lastMinute)).isTrue();
  }

  @Test
  void aReferralWithoutATreatmentStartDateIsNeverOverdue() {
    Task task = task("requested", "2026-11-25");
    task.setRestriction(null);
    Referral undated = Referral.of(task, Set.of("tumour-board"), ZONE);
    Instant yearsLater = Instant.parse("2030-01-01T00:00:00Z");

    assertThat(undated.dueDate()).isEmpty();
    assertThat(undated.overdueAt(yearsLater)).isFalse();
    TurnaroundFigures figures =
        TurnaroundFigures.of(List.of(undated, referral("requested", "2026-11-25")), yearsLater);
    assertThat(figures.overdue())
        .extracting(Referral::dueDate)
        .hasSize(1)
        .allMatch(d -> d.isPresent());
    assertThat(figures.status("requested").reached()).isEqualTo(2);
  }

  @Test
  void onlyReferralsThatReachedAStatusCount() {
    Referral a = referral("received", "2030-01-01");
    TurnaroundFigures figures = TurnaroundFigures.of(List.of(a), REQUESTED.plusSeconds(60));
    assertThat(figures.status("requested").reached()).isEqualTo(1);
    assertThat(figures.status("completed").reached()).isZero();
    assertThat(figures.status("completed").median()).isEmpty();
  }

  @Test
  void recipientsOutsideTheConfigurationAreGrouped() {
    Task task = task("requested", "2030-01-01");
    assertThat(Referral.of(task, Set.of("tumour-board"), ZONE).recipient())
        .isEqualTo("tumour-board");
    assertThat(Referral.of(task, Set.of(), ZONE).recipient()).isEqualTo("other");
    task.setOwner(null);
    assertThat(Referral.of(task, Set.of(), ZONE).recipient()).isEqualTo("none");
  }

  private static Referral referral(String status, String due) {
    return Referral.of(task(status, due), Set.of("tumour-board"), ZONE);
  }

  private static Task task(String status, String due) {
    Task task = new Task();
    task.setId("Task/t1");
    task.setStatus(Task.TaskStatus.fromCode(status));
    task.setAuthoredOn(Date.from(REQUESTED));
    task.setOwner(
        new Reference()
            .setIdentifier(
                new Identifier()
                    .setSystem("https://secondlook.health/fhir/recipient")
                    .setValue("tumour-board")));
    task.getRestriction().getPeriod().setEndElement(new DateTimeType(due));
    StatusHistory.write(
        task,
        List.of(
            new StatusHistory.Entry("requested", REQUESTED),
            new StatusHistory.Entry(status, REQUESTED.plusSeconds(30))));
    return task;
  }
}
