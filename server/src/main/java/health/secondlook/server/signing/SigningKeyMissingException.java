package health.secondlook.server.signing;

import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A packet or feedback document must be signed and SecondLook has no signing key: an operator's
 * configuration problem, not a fault in the request. The FHIR API answers it 503 with an
 * OperationOutcome that names the settings; a pull that cannot sign its packet ends {@code
 * pull-failed} with the same words.
 */
public final class SigningKeyMissingException extends UnclassifiedServerFailureException {

  static final String MESSAGE =
      "No packet-signing key is configured, so SecondLook cannot sign packets or reviews. Set"
          + " secondlook.signing.key-store (PKCS#12, with secondlook.signing.key-password) or"
          + " secondlook.signing.key-file with secondlook.signing.certificate-chain-file"
          + " (environment: SECONDLOOK_SIGNING_KEYSTORE, SECONDLOOK_SIGNING_KEYFILE, ...), or"
          + " secondlook.signing.generate-demo-keys=true for a demo, and restart.";

  SigningKeyMissingException() {
    super(503, MESSAGE, outcome());
  }

  private static OperationOutcome outcome() {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.TRANSIENT)
        .setDiagnostics(MESSAGE);
    return outcome;
  }
}
