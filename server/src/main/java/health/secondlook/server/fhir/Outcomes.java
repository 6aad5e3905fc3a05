package health.secondlook.server.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;

/** OperationOutcomes for the refusals SecondLook's operations and rules give a FHIR client. */
public final class Outcomes {

  private Outcomes() {}

  /** One error issue of {@code type}, whose diagnostics say what is wrong and what to do. */
  public static OperationOutcome error(OperationOutcome.IssueType type, String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(type)
        .setDiagnostics(message);
    return outcome;
  }
}
