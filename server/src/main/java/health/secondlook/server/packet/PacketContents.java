package health.secondlook.server.packet;

import static health.secondlook.server.packet.PacketReferences.key;
import static health.secondlook.server.packet.PacketReferences.localKey;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;

import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Chooses the records a packet carries and makes the packet's copies of them. Each section takes
 * the records the completeness report found for its packet items; then everything those records
 * reference that SecondLook holds comes too (Patient, practitioners, organisations, endpoints,
 * specimens, results), so every reference inside the packet resolves to an entry. References to
 * what stays behind become absolute: on SecondLook, or at the EHR as the pull left them.
 */
final class PacketContents {

  private final FhirTerser terser;
  private final String secondLookBase;
  private final Map<String, Resource> records = new HashMap<>();
  private final Map<PacketSection, SortedSet<String>> sections = new EnumMap<>(PacketSection.class);
  private final Set<String> included = new HashSet<>();

  PacketContents(PacketSources sources, FhirTerser terser) {
    this.terser = terser;
    this.secondLookBase = sources.secondLookBaseUrl();
    sources.pulled().forEach(r -> records.put(key(r), r));
    List.of(sources.patient(), sources.serviceRequest()).forEach(r -> records.put(key(r), r));
    sources.questions().ifPresent(q -> records.put(key(q), q));

    Map<String, List<String>> byItem = recordsByItem(sources.completeness());
    for (PacketSection section : PacketSection.values()) {
      SortedSet<String> keys = new TreeSet<>();
      for (String item : section.packetItems()) {
        byItem.getOrDefault(item, List.of()).stream()
            .filter(records::containsKey)
            .forEach(keys::add);
      }
      sections.put(section, keys);
    }
    SortedSet<String> reason = sections.get(PacketSection.REASON_AND_QUESTIONS);
    reason.add(key(sources.serviceRequest()));
    sources.questions().ifPresent(q -> reason.add(key(q)));
    sections.get(PacketSection.URGENCY).add(key(sources.serviceRequest()));

    Deque<String> pending = new ArrayDeque<>();
    pending.add(key(sources.patient()));
    sections.values().forEach(pending::addAll);
    while (!pending.isEmpty()) {
      String key = pending.poll();
      if (included.add(key)) {
        for (Reference reference : references(records.get(key))) {
          localKey(reference.getReference(), secondLookBase)
              .filter(records::containsKey)
              .ifPresent(pending::add);
        }
      }
    }
  }

  /** The records of a section, by {@code Type/id}, sorted. */
  List<String> section(PacketSection section) {
    return List.copyOf(sections.get(section));
  }

  /** The records the sections list, each once, in section order. */
  List<String> sectioned() {
    Set<String> order = new LinkedHashSet<>();
    sections.values().forEach(order::addAll);
    return List.copyOf(order);
  }

  /** Every record in the packet: the sections' and all they reference, by {@code Type/id}. */
  Set<String> included() {
    return Set.copyOf(included);
  }

  /**
   * The packet's copy of a record: no server id or version, references between entries by their
   * packet full URL, attachments placed by {@code attachments}.
   */
  Resource copy(String key, PacketAttachments attachments) {
    Resource copy = records.get(key).copy();
    copy.setIdElement(null);
    copy.getMeta().setVersionId(null).setLastUpdated(null);
    if (copy.getMeta().isEmpty()) {
      copy.setMeta(null);
    }
    for (Reference reference : references(copy)) {
      localKey(reference.getReference(), secondLookBase)
          .ifPresent(
              target ->
                  reference.setReference(
                      included.contains(target)
                          ? PacketReferences.fullUrl(target)
                          : secondLookBase + target));
    }
    terser.getAllPopulatedChildElementsOfType(copy, Attachment.class).forEach(attachments::place);
    return copy;
  }

  private List<Reference> references(Resource resource) {
    return terser.getAllPopulatedChildElementsOfType(resource, Reference.class).stream()
        .filter(Reference::hasReference)
        .toList();
  }

  private Map<String, List<String>> recordsByItem(Composition report) {
    Map<String, List<String>> byItem = new HashMap<>();
    for (Composition.SectionComponent section : report.getSection()) {
      section.getCode().getCoding().stream()
          .filter(c -> PACKET_ITEM_SYSTEM.equals(c.getSystem()))
          .findFirst()
          .ifPresent(
              item ->
                  byItem.put(
                      item.getCode(),
                      section.getEntry().stream()
                          .map(e -> localKey(e.getReference(), secondLookBase).orElse(""))
                          .toList()));
    }
    return byItem;
  }
}
