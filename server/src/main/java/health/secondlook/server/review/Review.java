package health.secondlook.server.review;

import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;

/**
 * A specialist's second-opinion review, as submitted with {@code $submit-review} and as carried by
 * the signed feedback document ({@link FeedbackDocument}): what write-back turns into the referring
 * EHR's own resources.
 *
 * @param outcome a code from the review-outcome CodeSystem, with its display
 * @param diagnosisAgreement a code from the diagnosis-agreement CodeSystem ({@code agree}, {@code
 *     partly} or {@code disagree}), with its display
 * @param recommendedPlan the plan the specialist recommends; may be empty
 * @param answers the specialist's answers to the patient's questions
 * @param trials clinical trials the specialist suggests
 * @param summary free-text notes; may be empty
 * @param reviewer who reviewed, e.g. a national practitioner identifier
 */
public record Review(
    Coding outcome,
    Coding diagnosisAgreement,
    String recommendedPlan,
    List<Answer> answers,
    List<String> trials,
    String summary,
    Identifier reviewer) {

  public Review {
    answers = List.copyOf(answers);
    trials = List.copyOf(trials);
  }

  /**
   * The answer to one of the patient's questions.
   *
   * @param linkId the question's linkId in the patient-questions Questionnaire
   * @param question the question as the patient's questions put it
   * @param text the specialist's answer
   */
  public record Answer(String linkId, String question, String text) {}
}
