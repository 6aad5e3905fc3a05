package health.secondlook.server.review;

import static health.secondlook.server.fhir.OperationInput.optional;
import static health.secondlook.server.fhir.OperationInput.required;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;

import health.secondlook.server.fhir.DocumentedOperation;
import java.util.List;

/**
 * The inputs of the specialist's operations that read their Parameters body themselves, as their
 * OperationDefinitions (and the OpenAPI description) list them; {@link ReviewParameters} takes
 * exactly the {@code $submit-review} ones named here.
 */
final class ReviewInputs {

  static final DocumentedOperation SUBMIT_REVIEW =
      new DocumentedOperation(
          "Task",
          "$submit-review",
          List.of(
              required("outcome", "Coding", "a code from " + REVIEW_OUTCOME_SYSTEM),
              required("diagnosisAgreement", "code", "agree, partly or disagree"),
              optional("recommendedPlan", "string", "the plan the specialist recommends"),
              optional(
                      "answer",
                      null,
                      "the answer to one of the patient's questions on this referral; a referral"
                          + " without questions takes none")
                  .repeating()
                  .withParts(
                      required("linkId", "string", "the question's linkId"),
                      required("text", "string", "the answer")),
              optional("trial", "string", "a suggested clinical trial").repeating(),
              optional("summary", "string", "free-text notes"),
              required("reviewer", "Identifier", "who reviewed, e.g. an NPI")));

  static final DocumentedOperation REQUEST_INFORMATION =
      new DocumentedOperation(
          "Task",
          "$request-information",
          List.of(
              optional(
                      "item",
                      "Coding",
                      "a missing packet item, a code from "
                          + PACKET_ITEM_SYSTEM
                          + "; give at least one item or a note")
                  .repeating(),
              optional("note", "string", "what else the specialist needs")));

  private ReviewInputs() {}
}
