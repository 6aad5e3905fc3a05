package health.secondlook.terminology;

import static health.secondlook.terminology.TestTerminology.byUrl;
import static health.secondlook.terminology.TestTerminology.expand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.assertj.core.groups.Tuple;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The codes the rest of SecondLook relies on are where it expects them. */
class TerminologyCodesTest {

  private static final String LOINC = "http://loinc.org";

  @Test
  void reviewOutcomeHasExactlyTheFiveAnswersEachDefined() {
    CodeSystem outcomes = byUrl(CodeSystem.class, TerminologyContent.REVIEW_OUTCOME_SYSTEM);

    assertThat(outcomes.getConcept())
        .extracting(ConceptDefinitionComponent::getCode)
        .containsExactly(
            "confirms-plan",
            "modifies-plan",
            "alternative-plan",
            "recommends-clinical-trial",
            "needs-more-information");
    assertThat(outcomes.getConcept())
        .allSatisfy(c -> assertThat(c.getDefinition()).as(c.getCode()).hasSizeGreaterThan(40));
    assertThat(outcomes.getValueSet()).isEqualTo(TerminologyContent.REVIEW_OUTCOME_VALUE_SET);
    assertThat(expand(TerminologyContent.REVIEW_OUTCOME_VALUE_SET).getExpansion().getContains())
        .hasSize(5);
  }

  @Test
  void packetSectionsAreTheCaseFileInReadingOrderThenTheFeedbackSections() {
    assertThat(byUrl(CodeSystem.class, TerminologyContent.PACKET_SECTION_SYSTEM).getConcept())
        .extracting(ConceptDefinitionComponent::getCode)
        .containsExactly(
            "reason-and-questions",
            "diagnosis-stage",
            "pathology",
            "imaging",
            "laboratory",
            "treatment-plan",
            "surgery-discharge",
            "clinical-notes",
            "completeness",
            "left-out",
            "urgency",
            "review-summary",
            "review-answers");
  }

  @Test
  void referralProgressNamesEveryTaskOutput() {
    assertThat(byUrl(CodeSystem.class, TerminologyContent.REFERRAL_PROGRESS_SYSTEM).getConcept())
        .extracting(ConceptDefinitionComponent::getCode)
        .contains("pulled-records", "completeness-report", "packet");
  }

  @Test
  void packetItemValueSetExpandsToTheWholeCodeSystem() {
    assertThat(expand(TerminologyContent.PACKET_ITEM_VALUE_SET).getExpansion().getContains())
        .extracting(ValueSetExpansionContainsComponent::getCode)
        .hasSize(13)
        .contains("pathology-report", "stage", "clinical-notes", "patient-questions");
  }

  @ParameterizedTest(name = "{1}|{2} counts as {0}")
  @CsvSource({
    "stage,              http://loinc.org,       21908-9,   Stage group.clinical Cancer",
    "stage,              http://loinc.org,       21902-2,   Stage group.pathology Cancer",
    "diagnosis,          http://snomed.info/sct, 254837009, Malignant neoplasm of breast",
    "diagnosis,          http://snomed.info/sct, 363406005, Malignant tumor of colon",
    "clinical-notes,     http://loinc.org,       34117-2,   History and physical note",
    "pathology-report,   http://loinc.org,       11526-1,   Pathology study",
    "pathology-report,   http://loinc.org,       22637-3,   Pathology report final diagnosis Narrative",
    "pathology-report,   http://loinc.org,       60568-3,   Pathology Synoptic report",
    "pathology-report,   http://loinc.org,       85337-4,   Estrogen receptor Ag [Presence] in Breast cancer specimen by Immune stain",
    "pathology-report,   http://loinc.org,       48676-1,   HER2 [Interpretation] in Tissue",
    "imaging-report,     http://loinc.org,       18748-4,   Diagnostic imaging study",
    "imaging-study,      http://dicom.nema.org/resources/ontology/DCM, CT, Computed Tomography",
    "blood-tests,        http://loinc.org,       58410-2,   CBC panel - Blood by Automated count",
    "discharge-summary,  http://loinc.org,       18842-5,   Discharge summary",
    "treatment-plan,     http://loinc.org,       18776-5,   Plan of care note",
    "pathology-material, http://terminology.hl7.org/CodeSystem/v2-0487, TISS, Tissue",
  })
  void exampleCodeExpandsInTheRightValueSet(
      String item, String system, String code, String display) {
    assertThat(expand(TerminologyContent.packetItemValueSet(item)).getExpansion().getContains())
        .extracting(
            ValueSetExpansionContainsComponent::getSystem,
            ValueSetExpansionContainsComponent::getCode,
            ValueSetExpansionContainsComponent::getDisplay)
        .contains(tuple(system, code, display));
  }

  @Test
  void tumourMarkersOnTissueCountAsPathologyNotBloodTests() {
    assertThat(codes("blood-tests")).doesNotContain("85337-4", "85339-0", "48676-1");
    assertThat(codes("pathology-report")).contains("85337-4", "85339-0", "48676-1");
  }

  @Test
  void surgeryMeansOperationsAndBiopsiesNotScreeningsAssessmentsOrCare() {
    List<String> surgical =
        expand(TerminologyContent.SURGICAL_PROCEDURE_VALUE_SET)
            .getExpansion()
            .getContains()
            .stream()
            .peek(c -> assertThat(c.getSystem()).isEqualTo("http://snomed.info/sct"))
            .map(ValueSetExpansionContainsComponent::getCode)
            .toList();
    // The category, lumpectomy, sentinel node biopsy, partial colectomy, lobectomy.
    assertThat(surgical).contains("387713003", "392021009", "396487001", "43075005", "173171007");
    // Hospice care, depression screening, medication reconciliation, mammography, colonoscopy.
    assertThat(surgical)
        .doesNotContain("385763009", "171207006", "430193006", "71651007", "73761001");
  }

  @Test
  void conceptMapGivesEveryPacketItemASectionCode() {
    ConceptMap map = byUrl(ConceptMap.class, TerminologyContent.PACKET_ITEM_TO_LOINC);
    List<SourceElementComponent> elements = map.getGroupFirstRep().getElement();

    assertThat(map.getGroupFirstRep().getSource()).isEqualTo(TerminologyContent.PACKET_ITEM_SYSTEM);
    assertThat(map.getGroupFirstRep().getTarget()).isEqualTo(LOINC);
    assertThat(elements)
        .extracting(SourceElementComponent::getCode, SourceElementComponent::getDisplay)
        .containsExactlyElementsOf(conceptsOf(TerminologyContent.PACKET_ITEM_SYSTEM));
    assertThat(elements)
        .filteredOn(e -> !e.getCode().equals("patient-questions"))
        .allSatisfy(e -> assertThat(e.getTargetFirstRep().getCode()).as(e.getCode()).isNotBlank());
    assertThat(elements)
        .extracting(
            SourceElementComponent::getCode,
            e -> e.getTargetFirstRep().getCode(),
            e -> e.getTargetFirstRep().getEquivalence())
        .contains(
            tuple("pathology-report", "11526-1", ConceptMapEquivalence.EQUIVALENT),
            tuple("imaging-report", "18748-4", ConceptMapEquivalence.EQUIVALENT),
            tuple("discharge-summary", "18842-5", ConceptMapEquivalence.EQUIVALENT),
            tuple("treatment-plan", "18776-5", ConceptMapEquivalence.EQUIVALENT),
            tuple("diagnosis", "29548-5", ConceptMapEquivalence.RELATEDTO),
            tuple("stage", "29548-5", ConceptMapEquivalence.RELATEDTO),
            tuple("blood-tests", "26436-6", ConceptMapEquivalence.WIDER),
            tuple("patient-questions", null, ConceptMapEquivalence.UNMATCHED));
  }

  @Test
  void patientQuestionnaireAsksTheFiveStandardQuestionsAndTheirOwn() {
    Questionnaire questionnaire =
        byUrl(Questionnaire.class, TerminologyContent.PATIENT_QUESTIONNAIRE);
    List<QuestionnaireItemComponent> items = questionnaire.getItem();

    assertThat(items)
        .extracting(QuestionnaireItemComponent::getLinkId, QuestionnaireItemComponent::getText)
        .containsExactly(
            tuple("diagnosis-clear", "Is the diagnosis clear?"),
            tuple("usual-treatment", "Is this the usual treatment for my stage?"),
            tuple("other-options", "Are there other options?"),
            tuple("treatment-timing", "How soon does treatment need to start?"),
            tuple("treatment-goal", "What is the main goal of treatment?"),
            tuple("own-questions", "Your own questions, in your own words"));
    // Each standard question starts ticked: "I want this question answered".
    assertThat(items.subList(0, 5))
        .allSatisfy(
            item -> {
              assertThat(item.getType()).isEqualTo(QuestionnaireItemType.BOOLEAN);
              assertThat(item.getInitialFirstRep().getValueBooleanType().booleanValue()).isTrue();
            });
    QuestionnaireItemComponent own = items.get(5);
    assertThat(own.getType()).isEqualTo(QuestionnaireItemType.TEXT);
    assertThat(own.getRepeats()).isTrue();
  }

  private static List<String> codes(String item) {
    return expand(TerminologyContent.packetItemValueSet(item)).getExpansion().getContains().stream()
        .map(ValueSetExpansionContainsComponent::getCode)
        .toList();
  }

  private static List<Tuple> conceptsOf(String codeSystemUrl) {
    return byUrl(CodeSystem.class, codeSystemUrl).getConcept().stream()
        .map(c -> tuple(c.getCode(), c.getDisplay()))
        .toList();
  }
}
