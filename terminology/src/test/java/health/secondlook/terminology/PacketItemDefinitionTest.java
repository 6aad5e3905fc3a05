package health.secondlook.terminology;

import static health.secondlook.terminology.PacketItemDefinition.ALWAYS;
import static health.secondlook.terminology.PacketItemDefinition.IF_AVAILABLE;
import static health.secondlook.terminology.PacketItemDefinition.SURGERY;
import static health.secondlook.terminology.TestTerminology.CTX;
import static health.secondlook.terminology.TestTerminology.byUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.PropertyComponent;
import org.hl7.fhir.r4.model.CodeSystem.PropertyType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

class PacketItemDefinitionTest {

  private static final CodeSystem PACKET_ITEMS =
      byUrl(CodeSystem.class, TerminologyContent.PACKET_ITEM_SYSTEM);
  private static final List<PacketItemDefinition> ITEMS =
      PacketItemDefinition.fromCodeSystem(PACKET_ITEMS);

  @Test
  void codeSystemDeclaresTheFourProperties() {
    assertThat(PACKET_ITEMS.getProperty())
        .extracting(PropertyComponent::getCode, PropertyComponent::getType)
        .containsExactly(
            tuple("required-when", PropertyType.CODE),
            tuple("rationale", PropertyType.STRING),
            tuple("value-set", PropertyType.STRING),
            tuple("resource-types", PropertyType.STRING));
  }

  @Test
  void readsEveryItemWithWhenItIsRequired() {
    assertThat(ITEMS)
        .extracting(PacketItemDefinition::code, PacketItemDefinition::requiredWhen)
        .containsExactly(
            tuple("diagnosis", ALWAYS),
            tuple("stage", ALWAYS),
            tuple("pathology-report", ALWAYS),
            tuple("imaging-report", ALWAYS),
            tuple("imaging-study", IF_AVAILABLE),
            tuple("blood-tests", ALWAYS),
            tuple("discharge-summary", SURGERY),
            tuple("surgical-procedures", IF_AVAILABLE),
            tuple("treatment-plan", ALWAYS),
            tuple("current-medications", IF_AVAILABLE),
            tuple("clinical-notes", IF_AVAILABLE),
            tuple("pathology-material", IF_AVAILABLE),
            tuple("patient-questions", IF_AVAILABLE));
  }

  @Test
  void everyItemExplainsWhyTheSpecialistNeedsIt() {
    assertThat(ITEMS)
        .allSatisfy(
            item -> {
              assertThat(item.display()).as(item.code()).isNotBlank();
              assertThat(item.rationale()).as(item.code()).startsWith("Without ").endsWith(".");
            });
    assertThat(ITEMS)
        .filteredOn(item -> item.code().equals("pathology-report"))
        .singleElement()
        .extracting(PacketItemDefinition::rationale)
        .isEqualTo(
            "Without the pathology report the specialist cannot confirm the diagnosis or the"
                + " tumour's grade and receptor status.");
  }

  @Test
  void resourceTypesAreRealR4ResourceTypes() {
    assertThat(ITEMS)
        .allSatisfy(
            item ->
                assertThat(item.resourceTypes())
                    .as(item.code())
                    .isNotEmpty()
                    .isSubsetOf(CTX.getResourceTypes()));
    assertThat(ITEMS)
        .filteredOn(item -> item.code().equals("imaging-study"))
        .singleElement()
        .extracting(PacketItemDefinition::resourceTypes)
        .isEqualTo(List.of("ImagingStudy"));
  }

  private static final List<String> UNCODED = List.of("patient-questions", "current-medications");

  @Test
  void everyCodedItemPointsAtItsOwnExistingValueSet() {
    assertThat(ITEMS)
        .filteredOn(item -> !UNCODED.contains(item.code()))
        .allSatisfy(
            item -> {
              assertThat(item.valueSetUrl())
                  .isEqualTo(TerminologyContent.packetItemValueSet(item.code()));
              assertThat(byUrl(ValueSet.class, item.valueSetUrl()).getCompose().getInclude())
                  .as(item.code())
                  .isNotEmpty();
            });
    // The patient's questions are found by their Questionnaire, current medications by their
    // status: neither by a code.
    assertThat(ITEMS)
        .filteredOn(item -> UNCODED.contains(item.code()))
        .hasSize(2)
        .allSatisfy(item -> assertThat(item.valueSetUrl()).isNull());
  }

  @Test
  void refusesAnItemWithoutARequiredProperty() {
    CodeSystem broken = PACKET_ITEMS.copy();
    broken.getConcept().get(2).getProperty().removeIf(p -> p.getCode().equals("rationale"));

    assertThatThrownBy(() -> PacketItemDefinition.fromCodeSystem(broken))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Packet item pathology-report has no rationale");
  }

  @Test
  void refusesAnotherCodeSystem() {
    CodeSystem other = byUrl(CodeSystem.class, TerminologyContent.REVIEW_OUTCOME_SYSTEM);

    assertThatThrownBy(() -> PacketItemDefinition.fromCodeSystem(other))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
