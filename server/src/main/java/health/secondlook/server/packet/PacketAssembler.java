package health.secondlook.server.packet;

import static health.secondlook.server.packet.PacketReferences.fullUrl;
import static health.secondlook.server.packet.PacketReferences.key;
import static health.secondlook.server.packet.PacketReferences.localKey;
import static health.secondlook.terminology.TerminologyContent.PACKET_SECTION_SYSTEM;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import health.secondlook.server.fhir.Xhtml;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Assembles the second-opinion packet after a pull: a FHIR R4 document Bundle whose first entry is
 * a referral-note Composition (LOINC 57133-1) with one section per part of the case file, followed
 * by every record the sections reference, the SecondLook device that authored it, and a Provenance
 * naming the source EHR and when the records were pulled. The result is unsigned; {@link
 * PacketSigning} signs it before it is stored.
 *
 * <p>The same inputs give a byte-identical packet: entries are ordered (Composition, then section
 * by section, then by type and id), full URLs derive from record ids, and the only values of the
 * moment are the timestamp and identifier, taken from the {@link Clock} and the identifier
 * supplier.
 */
public final class PacketAssembler {

  /** System of {@code Composition.identifier}: the packet of one referral, across versions. */
  public static final String PACKET_IDENTIFIER_SYSTEM = "https://secondlook.health/fhir/packet";

  private static final String LOINC = "http://loinc.org";
  private static final String PARTICIPANT_TYPE =
      "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
  private static final String EMPTY_REASON =
      "http://terminology.hl7.org/CodeSystem/list-empty-reason";
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  /** Keeps attachment content too large to travel inline; SecondLook stores it as a Binary. */
  @FunctionalInterface
  public interface AttachmentStore {
    /** Stores the content and returns the id of the {@code Binary} that now holds it. */
    String store(byte[] data, String contentType);
  }

  private final FhirContext fhirContext;
  private final Clock clock;
  private final Supplier<UUID> identifiers;
  private final long maxInlineAttachmentBytes;
  private final AttachmentStore attachmentStore;
  private final PacketTerminology terminology;
  private final CaseFileNarrative narrative;

  /**
   * @param identifiers a new UUID for each packet's {@code Bundle.identifier}; never reused
   * @param maxInlineAttachmentBytes larger attachments stay on SecondLook, linked by URL
   */
  public PacketAssembler(
      FhirContext fhirContext,
      Clock clock,
      Supplier<UUID> identifiers,
      long maxInlineAttachmentBytes,
      AttachmentStore attachmentStore) {
    this.fhirContext = fhirContext;
    this.clock = clock;
    this.identifiers = identifiers;
    this.maxInlineAttachmentBytes = maxInlineAttachmentBytes;
    this.attachmentStore = attachmentStore;
    this.terminology = new PacketTerminology(fhirContext);
    this.narrative = new CaseFileNarrative(terminology);
  }

  /** A new, unsigned packet. */
  public Bundle assemble(PacketSources sources) {
    Date now = Date.from(clock.instant());
    String referral = sources.serviceRequest().getIdElement().getIdPart();
    String compositionKey = "Composition/packet-" + referral;
    String assemblerKey = "Device/secondlook";
    String ehrKey = "Device/ehr-" + sources.sourceEhr().name();
    PacketContents contents = new PacketContents(sources, fhirContext.newTerser());
    PacketAttachments attachments =
        new PacketAttachments(
            maxInlineAttachmentBytes,
            attachmentStore,
            recordsByKey(sources),
            sources.secondLookBaseUrl());

    Map<String, Resource> copies = new HashMap<>();
    contents.included().forEach(key -> copies.put(key, contents.copy(key, attachments)));
    // Sectioned records first, in section order; the rest, made-up entries too, by type and id.
    Map<String, Resource> rest = new TreeMap<>(copies);
    rest.keySet().removeAll(contents.sectioned());
    rest.put(assemblerKey, assembler(sources));
    rest.put(ehrKey, sourceEhr(sources));
    rest.put(
        "Provenance/packet-" + referral,
        provenance(sources, compositionKey, new TreeMap<>(copies), assemblerKey, ehrKey));

    Bundle packet = new Bundle();
    packet.setIdentifier(
        new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + identifiers.get()));
    packet.setType(Bundle.BundleType.DOCUMENT);
    packet.setTimestampElement(new InstantType(now, TemporalPrecisionEnum.SECOND, UTC));
    add(packet, compositionKey, composition(sources, contents, copies, now, assemblerKey));
    contents.sectioned().forEach(key -> add(packet, key, copies.get(key)));
    rest.forEach((key, resource) -> add(packet, key, resource));
    return packet;
  }

  private Composition composition(
      PacketSources sources,
      PacketContents contents,
      Map<String, Resource> copies,
      Date now,
      String assemblerKey) {
    Map<String, Resource> byFullUrl = new HashMap<>();
    copies.forEach((key, copy) -> byFullUrl.put(fullUrl(key), copy));
    CaseFileLines lines = new CaseFileLines(byFullUrl);
    Patient patient = sources.patient();
    DateTimeType date = new DateTimeType(now, TemporalPrecisionEnum.SECOND, UTC);
    Composition composition = new Composition();
    composition.setIdentifier(
        new Identifier()
            .setSystem(PACKET_IDENTIFIER_SYSTEM)
            .setValue(sources.serviceRequest().getIdElement().getIdPart()));
    composition.setStatus(Composition.CompositionStatus.FINAL);
    composition.setType(new CodeableConcept(new Coding(LOINC, "57133-1", "Referral note")));
    composition.setSubject(new Reference(fullUrl(key(patient))));
    composition.setDateElement(date);
    composition.addAuthor(new Reference(fullUrl(assemblerKey)).setDisplay("SecondLook"));
    composition.setTitle(
        "Cancer second opinion: "
            + (patient.hasName()
                ? patient.getNameFirstRep().getNameAsSingleString()
                : "patient " + patient.getIdElement().getIdPart()));
    composition.setText(narrative.composition(sources, patient, date));
    for (PacketSection section : PacketSection.values()) {
      List<String> keys = contents.section(section);
      Composition.SectionComponent component = composition.addSection();
      component.setTitle(terminology.sectionTitle(section));
      component.setCode(terminology.sectionCode(section));
      Map<String, Resource> records = new LinkedHashMap<>();
      keys.forEach(key -> records.put(fullUrl(key), copies.get(key)));
      component.setText(narrative.section(section, records, lines, sources));
      keys.forEach(key -> component.addEntry(new Reference(fullUrl(key))));
      if (section == PacketSection.COMPLETENESS) {
        missingItems(sources).forEach(component::addSection);
        leftOut(sources, contents).forEach(component::addSection);
      } else if (keys.isEmpty() && section != PacketSection.URGENCY) {
        component.setEmptyReason(
            new CodeableConcept(new Coding(EMPTY_REASON, "unavailable", "Unavailable")));
      }
    }
    return composition;
  }

  /** The completeness report's sections for items not in the packet, machine-readable. */
  private static List<Composition.SectionComponent> missingItems(PacketSources sources) {
    List<Composition.SectionComponent> missing = new ArrayList<>();
    for (Composition.SectionComponent item : sources.completeness().getSection()) {
      String status = PacketSources.itemStatus(item);
      if ("missing".equals(status) || "not-available".equals(status)) {
        missing.add(item.copy());
      }
    }
    return missing;
  }

  /**
   * For each rule that left pulled records out, a part saying so with their number; the records
   * themselves stay in the referring EHR and on SecondLook, so the packet does not reference them.
   * Some travel nonetheless, because a record in the packet references them (a panel's results).
   */
  private static List<Composition.SectionComponent> leftOut(
      PacketSources sources, PacketContents contents) {
    List<Composition.SectionComponent> parts = new ArrayList<>();
    Set<String> included = contents.included();
    for (Composition.SectionComponent section : sources.completeness().getSection()) {
      if (!isLeftOut(section)) {
        continue;
      }
      for (Composition.SectionComponent rule : section.getSection()) {
        long travelling =
            rule.getEntry().stream()
                .map(e -> localKey(e.getReference(), sources.secondLookBaseUrl()).orElse(""))
                .filter(included::contains)
                .count();
        Composition.SectionComponent part = new Composition.SectionComponent();
        part.setTitle("Left out: " + rule.getTitle());
        part.setCode(section.getCode().copy());
        part.setText(
            new Xhtml()
                .paragraph(
                    "%d pulled record(s) are in no section of this packet: %s.%s"
                        .formatted(
                            rule.getEntry().size(),
                            rule.getTitle(),
                            travelling == 0
                                ? " They stay in the referring EHR; ask the referring team for any of them."
                                : " %d of them travel all the same, because a record in the packet references them."
                                    .formatted(travelling)))
                .toNarrative());
        parts.add(part);
      }
    }
    return parts;
  }

  private static boolean isLeftOut(Composition.SectionComponent section) {
    return section.getCode().getCoding().stream()
        .anyMatch(
            c -> PACKET_SECTION_SYSTEM.equals(c.getSystem()) && "left-out".equals(c.getCode()));
  }

  private static Device assembler(PacketSources sources) {
    Device device = new Device();
    device.addDeviceName().setName("SecondLook").setType(Device.DeviceNameType.USERFRIENDLYNAME);
    device.getType().setText("Second-opinion packet assembler");
    device.setUrl(sources.secondLookBaseUrl());
    return device;
  }

  private static Device sourceEhr(PacketSources sources) {
    Device device = new Device();
    device
        .addDeviceName()
        .setName("EHR '" + sources.sourceEhr().name() + "'")
        .setType(Device.DeviceNameType.USERFRIENDLYNAME);
    device.getType().setText("Referring EHR FHIR API");
    device.setUrl(sources.sourceEhr().baseUrl());
    return device;
  }

  /**
   * Where the records came from: the EHR as custodian of the originals, SecondLook as assembler,
   * recorded at the end of the pull; targets the Composition and every record from the EHR.
   */
  private Provenance provenance(
      PacketSources sources,
      String compositionKey,
      Map<String, Resource> copies,
      String assemblerKey,
      String ehrKey) {
    String ehrBase = sources.sourceEhr().baseUrl();
    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(fullUrl(compositionKey)));
    copies.forEach(
        (key, copy) -> {
          if (copy.getMeta().hasSource() && copy.getMeta().getSource().startsWith(ehrBase)) {
            provenance.addTarget(new Reference(fullUrl(key)));
          }
        });
    provenance.setRecordedElement(
        new InstantType(sources.completeness().getDate(), TemporalPrecisionEnum.SECOND, UTC));
    provenance
        .addAgent()
        .setType(new CodeableConcept(new Coding(PARTICIPANT_TYPE, "custodian", "Custodian")))
        .setWho(
            new Reference(fullUrl(ehrKey)).setDisplay("EHR '" + sources.sourceEhr().name() + "'"));
    provenance
        .addAgent()
        .setType(new CodeableConcept(new Coding(PARTICIPANT_TYPE, "assembler", "Assembler")))
        .setWho(new Reference(fullUrl(assemblerKey)).setDisplay("SecondLook"));
    provenance.setText(
        new Xhtml()
            .paragraph(
                "Records pulled from EHR '%s' at %s on %s; packet assembled by SecondLook."
                    .formatted(
                        sources.sourceEhr().name(),
                        ehrBase,
                        provenance.getRecordedElement().getValueAsString()))
            .toNarrative());
    return provenance;
  }

  private static Map<String, Resource> recordsByKey(PacketSources sources) {
    Map<String, Resource> records = new HashMap<>();
    sources.pulled().forEach(r -> records.put(key(r), r));
    return records;
  }

  private static void add(Bundle packet, String key, Resource resource) {
    packet.addEntry().setFullUrl(fullUrl(key)).setResource(resource);
  }
}
