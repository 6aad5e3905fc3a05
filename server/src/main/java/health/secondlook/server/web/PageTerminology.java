package health.secondlook.server.web;

import health.secondlook.server.terminology.SiteContent;
import health.secondlook.terminology.TerminologyContent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Questionnaire;
import org.springframework.stereotype.Component;

/**
 * The codes and questions the pages offer, from the project's terminology (and a site's own, when
 * configured): the patient's questions from the Questionnaire, the review outcomes, the
 * diagnosis-agreement codes, and the packet items' names.
 */
@Component
class PageTerminology {

  /** One of the patient's questions: a yes/no to ask, or the free-text item. */
  record Question(String linkId, String text, boolean freeText) {}

  private final List<Question> questions;
  private final Map<String, String> outcomes;
  private final Map<String, String> agreements;
  private final Map<String, String> packetItems;

  PageTerminology(SiteContent site) {
    List<MetadataResource> all = site.terminology();
    Questionnaire questionnaire =
        all.stream()
            .filter(
                r ->
                    r instanceof Questionnaire
                        && TerminologyContent.PATIENT_QUESTIONNAIRE.equals(r.getUrl()))
            .map(Questionnaire.class::cast)
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("the patient-questions Questionnaire is missing"));
    this.questions =
        questionnaire.getItem().stream()
            .map(
                i ->
                    new Question(
                        i.getLinkId(),
                        i.getText(),
                        i.getType() != Questionnaire.QuestionnaireItemType.BOOLEAN))
            .toList();
    this.outcomes = concepts(all, TerminologyContent.REVIEW_OUTCOME_SYSTEM);
    this.agreements = concepts(all, TerminologyContent.DIAGNOSIS_AGREEMENT_SYSTEM);
    this.packetItems = concepts(all, TerminologyContent.PACKET_ITEM_SYSTEM);
  }

  List<Question> questions() {
    return questions;
  }

  Map<String, String> outcomes() {
    return outcomes;
  }

  Map<String, String> agreements() {
    return agreements;
  }

  Map<String, String> packetItems() {
    return packetItems;
  }

  String questionText(String linkId) {
    return questions.stream()
        .filter(q -> q.linkId().equals(linkId))
        .map(Question::text)
        .findFirst()
        .orElse(linkId);
  }

  private static Map<String, String> concepts(List<MetadataResource> all, String system) {
    Map<String, String> concepts = new LinkedHashMap<>();
    all.stream()
        .filter(r -> r instanceof CodeSystem && system.equals(r.getUrl()))
        .map(CodeSystem.class::cast)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("CodeSystem " + system + " is missing"))
        .getConcept()
        .forEach(c -> concepts.put(c.getCode(), c.getDisplay()));
    return concepts;
  }
}
