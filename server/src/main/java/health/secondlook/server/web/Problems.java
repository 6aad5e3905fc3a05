package health.secondlook.server.web;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The problems an OperationOutcome names, as lines a person can read beside the form. SecondLook's
 * diagnostics already begin with the parameter's name; the FHIRPath expression is for machines.
 */
final class Problems {

  private Problems() {}

  static List<String> of(BaseServerResponseException refused) {
    if (refused.getOperationOutcome() instanceof OperationOutcome outcome && outcome.hasIssue()) {
      return outcome.getIssue().stream()
          .map(
              issue -> {
                String where =
                    issue.getExpression().isEmpty()
                        ? ""
                        : issue.getExpression().get(0).getValue() + ": ";
                return where + issue.getDiagnostics();
              })
          .toList();
    }
    return List.of(refused.getMessage());
  }
}
