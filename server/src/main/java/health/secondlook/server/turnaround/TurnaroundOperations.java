package health.secondlook.server.turnaround;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import health.secondlook.server.fhir.FhirOperationProvider;
import health.secondlook.server.turnaround.TurnaroundFigures.StatusFigures;
import health.secondlook.server.turnaround.TurnaroundReport.Snapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * {@code GET /fhir/Task/$turnaround[?recipient=name]}: the figures of the turnaround metrics, read
 * from the stored Tasks at the moment of asking, as a Parameters resource:
 *
 * <ul>
 *   <li>{@code at} (instant): when the figures were computed;
 *   <li>{@code recipient} (string): the recipient asked about, if any;
 *   <li>{@code status}, one per Task status: parts {@code code}, {@code reached} (integer) and,
 *       when any referral reached it, {@code median} and {@code p90} (Duration in seconds, UCUM
 *       {@code s}) from request to reaching it;
 *   <li>{@code overdue} (integer) and one {@code overdueTask} per overdue review: parts {@code
 *       task} (Reference), {@code status}, {@code due} (the due date as stored) and {@code
 *       recipient}.
 * </ul>
 */
class TurnaroundOperations implements FhirOperationProvider {

  private static final String UCUM = "http://unitsofmeasure.org";

  private final TurnaroundMetrics metrics;

  TurnaroundOperations(TurnaroundMetrics metrics) {
    this.metrics = metrics;
  }

  @Operation(name = "$turnaround", type = Task.class, idempotent = true)
  @Description(
      shortDefinition = "Referral turnaround figures",
      value =
          "Per Task status, how many referrals reached it and the median and 90th percentile time"
              + " to reach it; the overdue reviews.")
  public Parameters turnaround(
      @OperationParam(name = "recipient", min = 0, max = 1) StringType recipient) {
    // The metrics are refreshed too, so both say the same until the next change.
    Snapshot snapshot = metrics.refresh();
    TurnaroundFigures figures =
        recipient == null || recipient.isEmpty()
            ? snapshot.all()
            : snapshot.forRecipient(recipient.getValue());
    Parameters result = new Parameters();
    result.addParameter().setName("at").setValue(new InstantType(Date.from(figures.at())));
    if (recipient != null && !recipient.isEmpty()) {
      result.addParameter().setName("recipient").setValue(new StringType(recipient.getValue()));
    }
    for (StatusFigures status : figures.statuses()) {
      ParametersParameterComponent parameter = result.addParameter().setName("status");
      parameter.addPart().setName("code").setValue(new CodeType(status.status()));
      parameter.addPart().setName("reached").setValue(new IntegerType(status.reached()));
      status.median().ifPresent(d -> parameter.addPart().setName("median").setValue(seconds(d)));
      status.p90().ifPresent(d -> parameter.addPart().setName("p90").setValue(seconds(d)));
    }
    result.addParameter().setName("overdue").setValue(new IntegerType(figures.overdue().size()));
    for (Referral referral : figures.overdue()) {
      ParametersParameterComponent parameter = result.addParameter().setName("overdueTask");
      parameter.addPart().setName("task").setValue(new Reference("Task/" + referral.taskId()));
      parameter.addPart().setName("status").setValue(new CodeType(referral.status()));
      parameter.addPart().setName("due").setValue(referral.dueDate().orElseThrow().copy());
      parameter.addPart().setName("recipient").setValue(new StringType(referral.recipient()));
    }
    return result;
  }

  private static org.hl7.fhir.r4.model.Duration seconds(Duration duration) {
    org.hl7.fhir.r4.model.Duration value = new org.hl7.fhir.r4.model.Duration();
    BigDecimal seconds = BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros();
    // 14400, not 1.44E+4.
    value.setValue(seconds.scale() < 0 ? seconds.setScale(0) : seconds);
    value.setUnit("s").setSystem(UCUM).setCode("s");
    return value;
  }
}
