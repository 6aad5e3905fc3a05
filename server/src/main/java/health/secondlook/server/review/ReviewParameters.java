package health.secondlook.server.review;

import static health.secondlook.terminology.TerminologyContent.DIAGNOSIS_AGREEMENT_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.PATIENT_QUESTIONNAIRE;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;

import health.secondlook.server.fhir.OperationInput;
import health.secondlook.server.fhir.RequestProblems;
import health.secondlook.server.terminology.SiteContent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.springframework.stereotype.Component;

/**
 * Reads the {@code $submit-review} Parameters into a {@link Review}, checking every parameter
 * against the terminology and the referral's own questions, and reporting all problems at once as a
 * 400 with an OperationOutcome that names each parameter.
 */
@Component
class ReviewParameters {

  private static final Set<String> KNOWN =
      ReviewInputs.SUBMIT_REVIEW.inputs().stream()
          .map(OperationInput::name)
          .collect(Collectors.toUnmodifiableSet());
  private static final Set<String> SINGLE =
      ReviewInputs.SUBMIT_REVIEW.inputs().stream()
          .filter(i -> !i.isRepeating())
          .map(OperationInput::name)
          .collect(Collectors.toUnmodifiableSet());

  private final Map<String, String> outcomes = new LinkedHashMap<>();
  private final Map<String, String> agreements = new LinkedHashMap<>();
  private final Map<String, String> questionTexts = new LinkedHashMap<>();

  ReviewParameters(SiteContent content) {
    content.terminology().stream()
        .filter(r -> r instanceof CodeSystem cs && REVIEW_OUTCOME_SYSTEM.equals(cs.getUrl()))
        .flatMap(r -> ((CodeSystem) r).getConcept().stream())
        .forEach(c -> outcomes.put(c.getCode(), c.getDisplay()));
    content.terminology().stream()
        .filter(r -> r instanceof CodeSystem cs && DIAGNOSIS_AGREEMENT_SYSTEM.equals(cs.getUrl()))
        .flatMap(r -> ((CodeSystem) r).getConcept().stream())
        .forEach(c -> agreements.put(c.getCode(), c.getDisplay()));
    content.terminology().stream()
        .filter(r -> r instanceof Questionnaire q && PATIENT_QUESTIONNAIRE.equals(q.getUrl()))
        .flatMap(r -> ((Questionnaire) r).getItem().stream())
        .forEach(i -> questionTexts.put(i.getLinkId(), i.getText()));
  }

  /**
   * @param questions the patient's questions the referral carried, whose linkIds answers must use;
   *     without any (an empty response) a review has no answers
   */
  Review parse(Parameters parameters, QuestionnaireResponse questions) {
    RequestProblems problems = new RequestProblems();
    Map<String, List<ParametersParameterComponent>> byName = new LinkedHashMap<>();
    for (ParametersParameterComponent p : parameters.getParameter()) {
      if (!KNOWN.contains(p.getName())) {
        problems.add(
            IssueType.NOTSUPPORTED,
            String.valueOf(p.getName()),
            "unknown parameter; $submit-review takes " + String.join(", ", sorted(KNOWN)));
        continue;
      }
      byName.computeIfAbsent(p.getName(), n -> new ArrayList<>()).add(p);
    }
    byName.forEach(
        (name, values) -> {
          if (SINGLE.contains(name) && values.size() > 1) {
            problems.add(
                IssueType.STRUCTURE, name, "given " + values.size() + " times; at most once");
          }
        });

    Coding outcome = outcome(first(byName, "outcome"), problems);
    Coding agreement = agreement(first(byName, "diagnosisAgreement"), problems);
    Identifier reviewer = reviewer(first(byName, "reviewer"), problems);
    String plan = text(first(byName, "recommendedPlan"), "recommendedPlan", problems);
    String summary = text(first(byName, "summary"), "summary", problems);
    List<String> trials = new ArrayList<>();
    for (ParametersParameterComponent trial : byName.getOrDefault("trial", List.of())) {
      String text = text(trial, "trial", problems);
      if (!text.isBlank()) {
        trials.add(text);
      }
    }
    List<Review.Answer> answers = new ArrayList<>();
    for (ParametersParameterComponent answer : byName.getOrDefault("answer", List.of())) {
      answer(answer, questions, problems, answers);
    }
    problems.throwIfAny();
    return new Review(outcome, agreement, plan, answers, trials, summary, reviewer);
  }

  private Coding outcome(ParametersParameterComponent p, RequestProblems problems) {
    if (p == null || !(p.getValue() instanceof Coding coding)) {
      problems.add(
          IssueType.REQUIRED,
          "outcome",
          "required, a Coding from "
              + REVIEW_OUTCOME_SYSTEM
              + ": "
              + String.join(", ", outcomes.keySet()));
      return null;
    }
    if (!REVIEW_OUTCOME_SYSTEM.equals(coding.getSystem())
        || !outcomes.containsKey(coding.getCode())) {
      problems.add(
          IssueType.CODEINVALID,
          "outcome",
          "'%s|%s' is not a review outcome; use %s with one of: %s"
              .formatted(
                  coding.getSystem(),
                  coding.getCode(),
                  REVIEW_OUTCOME_SYSTEM,
                  String.join(", ", outcomes.keySet())));
      return null;
    }
    return new Coding(REVIEW_OUTCOME_SYSTEM, coding.getCode(), outcomes.get(coding.getCode()));
  }

  private Coding agreement(ParametersParameterComponent p, RequestProblems problems) {
    String code = p == null || !p.hasValue() ? null : p.getValue().primitiveValue();
    if (code == null || !agreements.containsKey(code)) {
      problems.add(
          code == null ? IssueType.REQUIRED : IssueType.CODEINVALID,
          "diagnosisAgreement",
          (code == null ? "required" : "'" + code + "' is not allowed")
              + "; one of "
              + String.join(", ", agreements.keySet()));
      return null;
    }
    return new Coding(DIAGNOSIS_AGREEMENT_SYSTEM, code, agreements.get(code));
  }

  private static Identifier reviewer(ParametersParameterComponent p, RequestProblems problems) {
    if (p == null || !(p.getValue() instanceof Identifier id) || !id.hasValue()) {
      problems.add(
          IssueType.REQUIRED,
          "reviewer",
          "required, an Identifier with a value (and a system), e.g. the specialist's national practitioner number");
      return null;
    }
    return id;
  }

  private static String text(
      ParametersParameterComponent p, String name, RequestProblems problems) {
    if (p == null) {
      return "";
    }
    if (!p.hasValue() || !p.getValue().isPrimitive()) {
      problems.add(IssueType.STRUCTURE, name, "must be a string");
      return "";
    }
    return p.getValue().primitiveValue().strip();
  }

  private void answer(
      ParametersParameterComponent answer,
      QuestionnaireResponse questions,
      RequestProblems problems,
      List<Review.Answer> answers) {
    String linkId = null;
    String text = null;
    for (ParametersParameterComponent part : answer.getPart()) {
      if ("linkId".equals(part.getName()) && part.hasValue()) {
        linkId = part.getValue().primitiveValue();
      } else if ("text".equals(part.getName()) && part.hasValue()) {
        text = part.getValue().primitiveValue();
      }
    }
    if (linkId == null || text == null || text.isBlank()) {
      problems.add(IssueType.REQUIRED, "answer", "each answer needs the parts linkId and text");
      return;
    }
    String wanted = linkId;
    var question =
        questions.getItem().stream().filter(i -> wanted.equals(i.getLinkId())).findFirst();
    if (question.isEmpty()) {
      problems.add(
          IssueType.VALUE,
          "answer",
          questions.hasItem()
              ? "linkId '%s' is not one of the patient's questions on this referral (%s)"
                  .formatted(
                      linkId,
                      String.join(
                          ", ",
                          questions.getItem().stream()
                              .map(
                                  QuestionnaireResponse.QuestionnaireResponseItemComponent
                                      ::getLinkId)
                              .toList()))
              : "linkId '%s' is not one of the patient's questions: this referral carries none, so give the review without answers"
                  .formatted(linkId));
      return;
    }
    answers.add(new Review.Answer(linkId, questionText(question.get()), text.strip()));
  }

  /** The patient's own words where they wrote the question, else the Questionnaire's wording. */
  private String questionText(QuestionnaireResponse.QuestionnaireResponseItemComponent item) {
    return item.getAnswer().stream()
        .filter(a -> a.hasValueStringType())
        .map(a -> a.getValueStringType().getValue())
        .findFirst()
        .orElseGet(
            () ->
                item.hasText()
                    ? item.getText()
                    : questionTexts.getOrDefault(item.getLinkId(), item.getLinkId()));
  }

  private static ParametersParameterComponent first(
      Map<String, List<ParametersParameterComponent>> byName, String name) {
    List<ParametersParameterComponent> values = byName.get(name);
    return values == null ? null : values.get(0);
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
