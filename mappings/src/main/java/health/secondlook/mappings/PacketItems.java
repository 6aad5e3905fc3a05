package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.terminology.PacketItemDefinition;
import health.secondlook.terminology.TerminologyContent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;

/**
 * Reads the packet items, and the review outcomes a write-back mapping may name, from the
 * terminology module, the one place that defines them.
 */
final class PacketItems {

  private PacketItems() {}

  static List<PacketItemDefinition> fromTerminology(FhirContext ctx) {
    return fromTerminology(TerminologyContent.loadAll(ctx));
  }

  static List<PacketItemDefinition> fromTerminology(List<MetadataResource> terminology) {
    return PacketItemDefinition.fromCodeSystem(
        codeSystem(terminology, TerminologyContent.PACKET_ITEM_SYSTEM));
  }

  /** The codes of the review-outcome CodeSystem, in its order. */
  static Set<String> reviewOutcomes(List<MetadataResource> terminology) {
    return codeSystem(terminology, TerminologyContent.REVIEW_OUTCOME_SYSTEM).getConcept().stream()
        .map(CodeSystem.ConceptDefinitionComponent::getCode)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static CodeSystem codeSystem(List<MetadataResource> terminology, String url) {
    return terminology.stream()
        .filter(CodeSystem.class::isInstance)
        .map(CodeSystem.class::cast)
        .filter(cs -> url.equals(cs.getUrl()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("The terminology has no " + url));
  }
}
