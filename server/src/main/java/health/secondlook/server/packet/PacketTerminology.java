package health.secondlook.server.packet;

import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_TO_LOINC;
import static health.secondlook.terminology.TerminologyContent.PACKET_SECTION_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.PATIENT_QUESTIONNAIRE;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.terminology.PacketItemDefinition;
import health.secondlook.terminology.TerminologyContent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Questionnaire;

/**
 * What packet assembly reads from SecondLook's terminology: section codes and titles (the
 * packet-section CodeSystem, plus LOINC from the ConceptMap packet-item-to-loinc), why each packet
 * item matters (the packet-item CodeSystem) and the wording of the patient's questions (the
 * Questionnaire). Read once; the terminology module is the single place these are defined.
 */
final class PacketTerminology {

  private final Map<String, String> sectionTitles = new HashMap<>();
  private final Map<String, Coding> loincByItem = new HashMap<>();
  private final Map<String, PacketItemDefinition> items = new HashMap<>();
  private final Map<String, String> questions = new HashMap<>();

  PacketTerminology(FhirContext fhirContext) {
    List<MetadataResource> content = TerminologyContent.loadAll(fhirContext);
    for (MetadataResource resource : content) {
      if (resource instanceof CodeSystem cs && PACKET_SECTION_SYSTEM.equals(cs.getUrl())) {
        cs.getConcept().forEach(c -> sectionTitles.put(c.getCode(), c.getDisplay()));
      } else if (resource instanceof CodeSystem cs && PACKET_ITEM_SYSTEM.equals(cs.getUrl())) {
        PacketItemDefinition.fromCodeSystem(cs).forEach(i -> items.put(i.code(), i));
      } else if (resource instanceof ConceptMap map && PACKET_ITEM_TO_LOINC.equals(map.getUrl())) {
        readLoincCodes(map);
      } else if (resource instanceof Questionnaire q && PATIENT_QUESTIONNAIRE.equals(q.getUrl())) {
        q.getItem().forEach(i -> questions.put(i.getLinkId(), i.getText()));
      }
    }
    for (PacketSection section : PacketSection.values()) {
      if (!sectionTitles.containsKey(section.code())) {
        throw new IllegalStateException("The packet-section CodeSystem has no " + section.code());
      }
    }
  }

  private void readLoincCodes(ConceptMap map) {
    for (ConceptMap.ConceptMapGroupComponent group : map.getGroup()) {
      for (ConceptMap.SourceElementComponent element : group.getElement()) {
        element.getTarget().stream()
            .filter(t -> t.hasCode() && t.getEquivalence() != ConceptMapEquivalence.UNMATCHED)
            .findFirst()
            .ifPresent(
                t ->
                    loincByItem.put(
                        element.getCode(),
                        new Coding(group.getTarget(), t.getCode(), t.getDisplay())));
      }
    }
  }

  String sectionTitle(PacketSection section) {
    return sectionTitles.get(section.code());
  }

  /** The LOINC section code where the ConceptMap gives one, then the packet-section code. */
  CodeableConcept sectionCode(PacketSection section) {
    CodeableConcept code = new CodeableConcept();
    section.packetItems().stream()
        .findFirst()
        .map(loincByItem::get)
        .ifPresent(loinc -> code.addCoding(loinc.copy()));
    code.addCoding(new Coding(PACKET_SECTION_SYSTEM, section.code(), sectionTitle(section)));
    return code;
  }

  /** Why the specialist needs the item, e.g. to explain a missing one. */
  String rationale(String packetItem) {
    PacketItemDefinition item = items.get(packetItem);
    return item == null ? "" : item.rationale();
  }

  /** How the Questionnaire asks the question with this {@code linkId}. */
  Optional<String> question(String linkId) {
    return Optional.ofNullable(questions.get(linkId));
  }
}
