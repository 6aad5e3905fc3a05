package health.secondlook.terminology;

import static health.secondlook.terminology.TestTerminology.CTX;
import static health.secondlook.terminology.TestTerminology.RESOURCES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.parser.DataFormatException;
import java.util.List;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

class TerminologyContentTest {

  /**
   * The resources with a canonical URL, version and title: all but the NamingSystems, which R4
   * identifies by their unique ids alone.
   */
  private static final List<MetadataResource> CANONICAL =
      RESOURCES.stream().filter(r -> !(r instanceof NamingSystem)).toList();

  @Test
  void loadsEveryFileNamedByTypeAndId() {
    assertThat(RESOURCES)
        .extracting(TerminologyContentTest::typeAndId)
        .containsExactly(
            "CodeSystem-diagnosis-agreement",
            "CodeSystem-message-event",
            "CodeSystem-packet-item",
            "CodeSystem-packet-section",
            "CodeSystem-referral-progress",
            "CodeSystem-review-element",
            "CodeSystem-review-outcome",
            "ValueSet-packet-item-blood-tests",
            "ValueSet-packet-item-clinical-notes",
            "ValueSet-packet-item-diagnosis",
            "ValueSet-packet-item-discharge-summary",
            "ValueSet-packet-item-imaging-report",
            "ValueSet-packet-item-imaging-study",
            "ValueSet-packet-item-pathology-material",
            "ValueSet-packet-item-pathology-report",
            "ValueSet-packet-item-stage",
            "ValueSet-packet-item-surgical-procedures",
            "ValueSet-packet-item-treatment-plan",
            "ValueSet-packet-item",
            "ValueSet-review-outcome",
            "ValueSet-surgical-procedure",
            "ConceptMap-packet-item-to-loinc",
            "NamingSystem-dicom-dcm",
            "NamingSystem-loinc",
            "NamingSystem-snomed-ct",
            "Questionnaire-patient-questions",
            "SearchParameter-task-due-date");
  }

  @Test
  void canonicalUrlsFollowTheTypeAndIdAndAreUnique() {
    assertThat(CANONICAL)
        .allSatisfy(
            r ->
                assertThat(r.getUrl())
                    .isEqualTo(
                        "https://secondlook.health/fhir/"
                            + r.fhirType()
                            + "/"
                            + r.getIdElement().getIdPart()));
    assertThat(CANONICAL).extracting(MetadataResource::getUrl).doesNotHaveDuplicates();
  }

  @Test
  void everyResourceCarriesTheSharedMetadata() {
    assertThat(CANONICAL)
        .allSatisfy(
            r -> {
              assertThat(r.getVersion()).as(typeAndId(r)).isEqualTo("0.1.0");
              assertThat(r.getStatus()).as(typeAndId(r)).isEqualTo(PublicationStatus.ACTIVE);
              assertThat(r.getExperimentalElement().getValue()).as(typeAndId(r)).isFalse();
              assertThat(r.getPublisher()).as(typeAndId(r)).isEqualTo("SecondLook");
              // R4's SearchParameter has no title; its name and description say what it is.
              String title = r instanceof SearchParameter ? r.getName() : r.getTitle();
              assertThat(List.of(r.getName(), title, r.getDescription()))
                  .as(typeAndId(r))
                  .allSatisfy(text -> assertThat(text).isNotBlank());
            });
  }

  @Test
  void constantsPointAtLoadedResources() {
    assertThat(
            List.of(
                TerminologyContent.REVIEW_OUTCOME_SYSTEM,
                TerminologyContent.REVIEW_OUTCOME_VALUE_SET,
                TerminologyContent.PACKET_ITEM_SYSTEM,
                TerminologyContent.PACKET_ITEM_VALUE_SET,
                TerminologyContent.PACKET_SECTION_SYSTEM,
                TerminologyContent.SURGICAL_PROCEDURE_VALUE_SET,
                TerminologyContent.PACKET_ITEM_TO_LOINC,
                TerminologyContent.PATIENT_QUESTIONNAIRE,
                TerminologyContent.DIAGNOSIS_AGREEMENT_SYSTEM,
                TerminologyContent.REVIEW_ELEMENT_SYSTEM,
                TerminologyContent.MESSAGE_EVENT_SYSTEM,
                TerminologyContent.packetItemValueSet("pathology-report")))
        .isSubsetOf(RESOURCES.stream().map(MetadataResource::getUrl).toList());
  }

  @Test
  void rejectsAFileWhoseNameDoesNotMatchItsContent() {
    assertThatThrownBy(() -> TerminologyContent.load(CTX, "classpath*:misnamed-terminology/*.json"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ValueSet-misnamed.json")
        .hasMessageContaining("ValueSet-not-the-file-name.json");
  }

  @Test
  void rejectsAMisspeltElement() {
    assertThatThrownBy(() -> TerminologyContent.load(CTX, "classpath*:misspelt-terminology/*.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("defintion");
  }

  private static String typeAndId(MetadataResource r) {
    return r.fhirType() + "-" + r.getIdElement().getIdPart();
  }
}
