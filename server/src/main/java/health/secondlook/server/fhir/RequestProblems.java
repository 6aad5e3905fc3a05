package health.secondlook.server.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Collects every problem with a submitted request, so the referring team fixes them all at once
 * instead of one per round trip, and turns them into a 400 with an OperationOutcome.
 */
public final class RequestProblems {

  private final List<OperationOutcome.OperationOutcomeIssueComponent> issues = new ArrayList<>();

  public void add(IssueType type, String parameter, String message) {
    issues.add(
        new OperationOutcome.OperationOutcomeIssueComponent()
            .setSeverity(IssueSeverity.ERROR)
            .setCode(type)
            .setDiagnostics(parameter + ": " + message)
            .addExpression("Parameters.parameter.where(name = '" + parameter + "')"));
  }

  public boolean isEmpty() {
    return issues.isEmpty();
  }

  public void throwIfAny() {
    if (issues.isEmpty()) {
      return;
    }
    OperationOutcome outcome = new OperationOutcome();
    outcome.getIssue().addAll(issues);
    String summary =
        issues.stream()
            .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
            .reduce((a, b) -> a + "; " + b)
            .orElseThrow();
    throw new InvalidRequestException(summary, outcome);
  }
}
