package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.terminology.PacketItemDefinition;
import health.secondlook.terminology.TerminologyContent;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;

/** Reads the packet items from the terminology module, the one place that defines them. */
final class PacketItems {

  private PacketItems() {}

  static List<PacketItemDefinition> fromTerminology(FhirContext ctx) {
    CodeSystem packetItems =
        TerminologyContent.loadAll(ctx).stream()
            .filter(CodeSystem.class::isInstance)
            .map(CodeSystem.class::cast)
            .filter(cs -> TerminologyContent.PACKET_ITEM_SYSTEM.equals(cs.getUrl()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "The terminology has no " + TerminologyContent.PACKET_ITEM_SYSTEM));
    return PacketItemDefinition.fromCodeSystem(packetItems);
  }
}
