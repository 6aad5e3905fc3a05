package health.secondlook.server.turnaround;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhrs;
import health.secondlook.server.support.TestIssuer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Five referrals to one recipient with known status sequences and times (recorded through the
 * storage layer at chosen instants), and the turnaround SecondLook reports for them: through {@code
 * Task/$turnaround}, the Prometheus and actuator metrics, and the {@code due-date} search.
 *
 * <pre>
 *            received  accepted  rejected  in-progress  completed   due
 *   done-1     1 h       2 h                  3 h         10 h       past
 *   done-2     2 h       4 h                  5 h         20 h       past
 *   rejected   3 h                 5 h                               past
 *   late       4 h       6 h                                         past  (overdue)
 *   new                                                              in 30 days
 * </pre>
 */
@H2ServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TurnaroundTest {

  private static final String RECIPIENT = TestEhrs.TURNAROUND_RECIPIENT;
  private static final Instant REQUESTED = Instant.parse("2026-03-02T08:00:00Z");
  private static final LocalDate PAST_DUE = LocalDate.now().minusDays(2);

  /** Identifies this run's Tasks in searches. */
  private final String runSystem = "https://turnaround.test/" + UUID.randomUUID();

  @LocalServerPort int port;
  @Autowired DaoRegistry daoRegistry;

  private final Map<String, String> ids = new HashMap<>();

  @BeforeAll
  void referralsWithKnownHistories() {
    referral(
        "done-1",
        PAST_DUE,
        step("received", 1),
        step("accepted", 2),
        step("in-progress", 3),
        step("completed", 10));
    referral(
        "done-2",
        PAST_DUE,
        step("received", 2),
        step("accepted", 4),
        step("in-progress", 5),
        step("completed", 20));
    referral("rejected", PAST_DUE, step("received", 3), step("rejected", 5));
    referral("late", PAST_DUE, step("received", 4), step("accepted", 6));
    referral("new", LocalDate.now().plusDays(30));
  }

  @Test
  void turnaroundOperationGivesCountsMediansAndNinetiethPercentilesPerStatus() {
    Parameters figures = turnaround();

    assertThat(figures.getParameter("recipient").getValue().primitiveValue()).isEqualTo(RECIPIENT);
    assertStatus(figures, "requested", 5, hours(0), hours(0));
    assertStatus(figures, "received", 4, hours(2.5), hours(3.7));
    assertStatus(figures, "accepted", 3, hours(4), hours(5.6));
    assertStatus(figures, "rejected", 1, hours(5), hours(5));
    assertStatus(figures, "in-progress", 2, hours(4), hours(4.8));
    assertStatus(figures, "completed", 2, hours(15), hours(19));
    assertStatus(figures, "failed", 0, null, null);
    assertStatus(figures, "cancelled", 0, null, null);
    assertThat(
            ((Quantity) part(status(figures, "accepted"), "median").getValue())
                .getValueElement()
                .getValueAsString())
        .as("seconds written plainly")
        .isEqualTo("14400");
  }

  @Test
  void onlyOpenReviewsPastTheirDueDateAreOverdue() {
    Parameters figures = turnaround();

    assertThat(
            ((org.hl7.fhir.r4.model.IntegerType) figures.getParameter("overdue").getValue())
                .getValue())
        .isEqualTo(1);
    ParametersParameterComponent late = figures.getParameters("overdueTask").get(0);
    assertThat(((Reference) part(late, "task").getValue()).getReference())
        .isEqualTo("Task/" + ids.get("late"));
    assertThat(part(late, "status").getValue().primitiveValue()).isEqualTo("accepted");
    assertThat(part(late, "due").getValue().primitiveValue()).isEqualTo(PAST_DUE.toString());
    assertThat(part(late, "recipient").getValue().primitiveValue()).isEqualTo(RECIPIENT);
  }

  @Test
  void dueDateSearchListsTheOverdueReviews() {
    Bundle overdue =
        fhir()
            .search()
            .byUrl(
                "Task?due-date=lt"
                    + LocalDate.now()
                    + "&status=requested,received,accepted,in-progress,on-hold&identifier="
                    + runSystem
                    + "|")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(overdue.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .containsExactly(ids.get("late"));

    Bundle dueLater =
        fhir()
            .search()
            .byUrl("Task?due-date=gt" + LocalDate.now() + "&identifier=" + runSystem + "|")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(dueLater.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .containsExactly(ids.get("new"));
  }

  @Test
  void prometheusShowsTheSameFigures() throws Exception {
    turnaround();
    Map<String, Double> metrics = prometheus();

    assertThat(metrics)
        .containsEntry(series("secondlook_referrals_reached", "requested"), 5.0)
        .containsEntry(series("secondlook_referrals_reached", "received"), 4.0)
        .containsEntry(series("secondlook_referrals_reached", "completed"), 2.0)
        .containsEntry(series("secondlook_referrals_reached", "cancelled"), 0.0)
        .containsEntry(series("secondlook_turnaround_median_seconds", "received"), 9000.0)
        .containsEntry(series("secondlook_turnaround_p90_seconds", "received"), 13320.0)
        .containsEntry(series("secondlook_turnaround_median_seconds", "completed"), 54000.0)
        .containsEntry(series("secondlook_turnaround_p90_seconds", "completed"), 68400.0)
        .containsEntry("secondlook_referrals_overdue{recipient=\"" + RECIPIENT + "\"}", 1.0)
        .doesNotContainKey(series("secondlook_turnaround_median_seconds", "cancelled"));
  }

  @Test
  void actuatorMetricsEndpointNamesTheGauges() throws Exception {
    turnaround();
    String json =
        get(
            "/actuator/metrics/secondlook.turnaround.p90?tag=recipient:"
                + RECIPIENT
                + "&tag=status:accepted");
    assertThat(json).contains("\"baseUnit\":\"seconds\"").contains("\"value\":20160.0");
  }

  @Test
  void figuresComeFromTheStoredTasksAlone() {
    // A report made afresh, as after a restart, from nothing but the database.
    TurnaroundFigures fresh =
        new TurnaroundReport(daoRegistry, Set.of(RECIPIENT), Clock.systemDefaultZone())
            .load()
            .forRecipient(RECIPIENT);
    Parameters served = turnaround();

    for (TurnaroundFigures.StatusFigures status : fresh.statuses()) {
      ParametersParameterComponent parameter = status(served, status.status());
      assertThat(intPart(parameter, "reached")).as(status.status()).isEqualTo(status.reached());
      assertThat(seconds(parameter, "median"))
          .as(status.status())
          .isEqualTo(status.median().map(d -> BigDecimal.valueOf(d.toMillis(), 3)).orElse(null));
    }
    assertThat(fresh.overdue()).extracting(Referral::taskId).containsExactly(ids.get("late"));
  }

  private Parameters turnaround() {
    return fhir()
        .operation()
        .onType(Task.class)
        .named("$turnaround")
        .withParameter(Parameters.class, "recipient", new StringType(RECIPIENT))
        .useHttpGet()
        .execute();
  }

  private void assertStatus(
      Parameters figures, String code, int reached, BigDecimal median, BigDecimal p90) {
    ParametersParameterComponent status = status(figures, code);
    assertThat(intPart(status, "reached")).as(code + " reached").isEqualTo(reached);
    assertThat(seconds(status, "median")).as(code + " median").isEqualTo(median);
    assertThat(seconds(status, "p90")).as(code + " p90").isEqualTo(p90);
  }

  private static ParametersParameterComponent status(Parameters figures, String code) {
    return figures.getParameters("status").stream()
        .filter(s -> code.equals(part(s, "code").getValue().primitiveValue()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no status " + code));
  }

  private static ParametersParameterComponent part(ParametersParameterComponent p, String name) {
    return p.getPart().stream().filter(x -> x.getName().equals(name)).findFirst().orElse(null);
  }

  private static int intPart(ParametersParameterComponent p, String name) {
    return Integer.parseInt(part(p, name).getValue().primitiveValue());
  }

  private static BigDecimal seconds(ParametersParameterComponent p, String name) {
    ParametersParameterComponent value = part(p, name);
    if (value == null) {
      return null;
    }
    Quantity quantity = (Quantity) value.getValue();
    assertThat(quantity.getSystem()).isEqualTo("http://unitsofmeasure.org");
    assertThat(quantity.getCode()).isEqualTo("s");
    return quantity.getValue().setScale(3);
  }

  private static BigDecimal hours(double hours) {
    return BigDecimal.valueOf(Math.round(hours * 3600 * 1000), 3);
  }

  private static String series(String name, String status) {
    return name + "{recipient=\"" + RECIPIENT + "\",status=\"" + status + "\"}";
  }

  private Map<String, Double> prometheus() throws Exception {
    Pattern line = Pattern.compile("^(secondlook_\\w+\\{[^}]*\\}) (\\S+)$");
    Map<String, Double> values = new HashMap<>();
    for (String text : get("/actuator/prometheus").split("\n")) {
      Matcher m = line.matcher(text);
      if (m.matches()) {
        values.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    return values;
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                TestIssuer.asOperator(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  /** A status the referral reached, so many hours after it was requested. */
  private record Step(TaskStatus status, Instant at) {}

  private static Step step(String status, double hours) {
    return new Step(
        TaskStatus.fromCode(status),
        REQUESTED.plus(Duration.ofMillis(Math.round(hours * 3_600_000))));
  }

  /** Stores a referral Task and moves it through the steps, each recorded at its own time. */
  private void referral(String name, LocalDate due, Step... steps) {
    IFhirResourceDao<Task> tasks = daoRegistry.getResourceDao(Task.class);
    Task task = new Task();
    task.addIdentifier(new Identifier().setSystem(runSystem).setValue(name));
    task.setStatus(TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setCode(
        new CodeableConcept(
            new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
    task.setAuthoredOn(Date.from(REQUESTED));
    task.setOwner(
        new Reference()
            .setIdentifier(
                new Identifier()
                    .setSystem("https://secondlook.health/fhir/recipient")
                    .setValue(RECIPIENT)));
    task.getRestriction().getPeriod().setEndElement(new DateTimeType(due.toString()));
    String id = tasks.create(task, at(REQUESTED)).getId().getIdPart();
    ids.put(name, id);
    for (Step step : steps) {
      Task stored =
          tasks.read(new org.hl7.fhir.r4.model.IdType("Task", id), new SystemRequestDetails());
      stored.setStatus(step.status());
      tasks.update(stored, at(step.at()));
    }
  }

  private static SystemRequestDetails at(Instant instant) {
    SystemRequestDetails request = new SystemRequestDetails();
    request.getUserData().put(StatusHistoryRecorder.REACHED_AT, instant);
    return request;
  }

  private IGenericClient fhir() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }
}
