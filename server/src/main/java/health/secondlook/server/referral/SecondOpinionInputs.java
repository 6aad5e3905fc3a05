package health.secondlook.server.referral;

import static health.secondlook.server.fhir.OperationInput.optional;
import static health.secondlook.server.fhir.OperationInput.required;
import static health.secondlook.terminology.TerminologyContent.PATIENT_QUESTIONNAIRE;

import health.secondlook.server.fhir.DocumentedOperation;
import java.util.List;

/**
 * The inputs of {@code $request-second-opinion}: the parser requires exactly those marked required
 * here, and the operation's OperationDefinition (and OpenAPI description) lists them all.
 */
final class SecondOpinionInputs {

  static final DocumentedOperation OPERATION =
      new DocumentedOperation(
          "ServiceRequest",
          "$request-second-opinion",
          List.of(
              required("source", "string", "a configured EHR name; the records come from there"),
              required("patient", "string", "the patient's id at that EHR"),
              required("reason", "string", "the diagnosis or question to review"),
              optional(
                  "questions",
                  "QuestionnaireResponse",
                  "the patient's questions, answers to "
                      + PATIENT_QUESTIONNAIRE
                      + "; without them the packet says that none were given"),
              optional("priority", "code", "routine, urgent, asap or stat; routine when not given"),
              optional(
                  "treatmentStartBy",
                  "date",
                  "the date treatment must start by, not in the past; the referral's due date"
                      + " (Task.restriction.period.end). Without it the referral has no due date"
                      + " and the priority alone says how urgent it is"),
              required("requester", "Identifier", "who is asking, with system and value"),
              optional(
                  "recipient",
                  "string",
                  "a configured receiving organisation; becomes the Task's owner"),
              optional(
                  "requestIdentifier",
                  "Identifier",
                  "the referrer's id for the request, with system and value; sent again, the"
                      + " request returns the same referral")));

  private SecondOpinionInputs() {}

  static boolean isRequired(String name) {
    return OPERATION.input(name).isRequired();
  }
}
