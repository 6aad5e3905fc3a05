package health.secondlook.server.packet;

import static health.secondlook.server.packet.PacketChecks.composition;
import static health.secondlook.server.packet.PacketChecks.section;
import static health.secondlook.server.packet.PacketFixtures.CTX;
import static health.secondlook.server.packet.PacketFixtures.EHR_BASE;
import static health.secondlook.server.packet.PacketFixtures.SECONDLOOK_BASE;
import static org.assertj.core.api.Assertions.assertThat;

import health.secondlook.sandbox.SyntheticCancerPatients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** The packet assembled from a sandbox patient's stored records, without a server. */
class PacketAssemblerTest {

  private static final Clock FIXED =
      Clock.fixed(Instant.parse("2025-06-03T10:15:30+00:00"), ZoneOffset.UTC);
  private static final UUID PACKET_ID = UUID.fromString("0b6f3c1e-6a52-4d59-9a4e-2f0c1d7e8a90");

  private final Map<String, byte[]> stored = new HashMap<>();

  /** Keeps what the assembler moves out of the packet, named by its size. */
  private PacketAssembler assembler(long maxInlineBytes) {
    return new PacketAssembler(
        CTX,
        FIXED,
        () -> PACKET_ID,
        maxInlineBytes,
        (data, contentType) -> {
          stored.put("attachment-" + data.length, data);
          return "attachment-" + data.length;
        });
  }

  private static PacketSources breast() {
    return PacketFixtures.sources(
        SyntheticCancerPatients.withVolume("unit-1", 40), "Confirm stage & adjuvant plan");
  }

  @Test
  void isADocumentWhoseFirstEntryIsAReferralNoteWithEverySectionNarrated() {
    Bundle packet = assembler(1 << 20).assemble(breast());

    assertThat(packet.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
    assertThat(packet.getIdentifier().getValue()).isEqualTo("urn:uuid:" + PACKET_ID);
    assertThat(packet.getTimestampElement().getValueAsString())
        .isEqualTo("2025-06-03T10:15:30+00:00");
    Composition composition = composition(packet);
    assertThat(composition.getType().getCodingFirstRep().getCode()).isEqualTo("57133-1");
    assertThat(composition.getStatus()).isEqualTo(Composition.CompositionStatus.FINAL);
    assertThat(composition.getSection())
        .extracting(s -> s.getCode().getCoding().get(s.getCode().getCoding().size() - 1).getCode())
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
            "urgency");
    assertThat(composition.getSection())
        .allSatisfy(
            s -> {
              assertThat(s.getText().getStatus().toCode()).isEqualTo("generated");
              assertThat(s.getText().getDivAsString().replaceAll("<[^>]+>", ""))
                  .as(s.getTitle())
                  .isNotBlank();
            });
    assertThat(section(packet, "pathology").getCode().getCodingFirstRep().getCode())
        .isEqualTo("11526-1");
    assertThat(section(packet, "pathology").getText().getDivAsString())
        .contains(
            "Pathology report final diagnosis Narrative", "invasive ductal carcinoma, grade 2");
    assertThat(section(packet, "imaging").getText().getDivAsString())
        .contains("Bilateral mammogram", "images at https://pacs.example.org/dicomweb");
    assertThat(section(packet, "urgency").getText().getDivAsString())
        .contains("urgent", "2025-06-23");
    assertThat(section(packet, "reason-and-questions").getText().getDivAsString())
        .contains(
            "Confirm stage &amp; adjuvant plan", "Is the diagnosis clear?", "Can I keep working");
  }

  @Test
  void everyReferenceResolvesInsideThePacketOrPointsAtTheEhr() {
    Bundle packet = assembler(1 << 20).assemble(breast());

    assertThat(PacketChecks.unresolvedReferences(packet)).isEmpty();
    assertThat(PacketChecks.absoluteReferences(packet)).allMatch(r -> r.startsWith(EHR_BASE));
    assertThat(packet.getEntry())
        .extracting(e -> e.getResource().fhirType())
        .contains("Patient", "Practitioner", "Organization", "Endpoint", "Specimen", "ImagingStudy")
        .doesNotContain("Binary");
  }

  @Test
  void provenanceNamesTheEhrAndTheTimeOfThePull() {
    Bundle packet = assembler(1 << 20).assemble(breast());

    Provenance provenance = entries(packet, Provenance.class).get(0);
    assertThat(provenance.getRecordedElement().getValueAsString())
        .isEqualTo("2025-06-02T08:30:00+00:00");
    assertThat(provenance.getTarget().get(0).getReference())
        .isEqualTo(packet.getEntryFirstRep().getFullUrl());
    assertThat(provenance.getTarget()).hasSizeGreaterThan(20);
    String ehrDevice = provenance.getAgentFirstRep().getWho().getReference();
    assertThat(packet.getEntry())
        .filteredOn(e -> e.getFullUrl().equals(ehrDevice))
        .singleElement()
        .satisfies(e -> assertThat(((Device) e.getResource()).getUrl()).isEqualTo(EHR_BASE));
  }

  @Test
  void validatesAgainstBaseR4() {
    Bundle packet = assembler(1 << 20).assemble(breast());

    assertThat(PacketChecks.validationErrors(packet)).isEmpty();
  }

  @Test
  void sameInputsInAnyOrderGiveAByteIdenticalPacket() {
    PacketSources sources = breast();
    List<Resource> shuffled = new ArrayList<>(sources.pulled());
    Collections.shuffle(shuffled, new Random(42));
    PacketSources reordered =
        new PacketSources(
            sources.serviceRequest(),
            sources.task(),
            sources.questions(),
            sources.patient(),
            shuffled,
            sources.completeness(),
            sources.sourceEhr(),
            sources.secondLookBaseUrl());

    String first = CTX.newJsonParser().encodeResourceToString(assembler(100).assemble(sources));
    String second = CTX.newJsonParser().encodeResourceToString(assembler(100).assemble(reordered));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void attachmentsAboveTheLimitStayOnSecondLookAndSmallerOnesTravelInline() {
    Bundle packet = assembler(100).assemble(breast());

    // The discharge summary's text is a pulled Binary of 195 bytes: linked, with size and hash.
    Attachment discharge =
        document(packet, "Discharge summary").getContentFirstRep().getAttachment();
    assertThat(discharge.hasData()).isFalse();
    assertThat(discharge.getUrl())
        .isEqualTo(SECONDLOOK_BASE + "/Binary/sandbox-unit-1-discharge-summary-text");
    assertThat(discharge.getSize()).isGreaterThan(100);
    assertThat(discharge.getHash()).hasSize(20);
    // The pathology report's inline text is over the limit too: moved to a stored Binary.
    Attachment pathology =
        report(packet, "Pathology report final diagnosis Narrative").getPresentedFormFirstRep();
    assertThat(pathology.hasData()).isFalse();
    assertThat(pathology.getUrl()).startsWith(SECONDLOOK_BASE + "/Binary/attachment-");
    assertThat(stored)
        .containsKey(pathology.getUrl().substring(pathology.getUrl().lastIndexOf('/') + 1));
    // A mammogram report's text (83 bytes) stays inline.
    assertThat(report(packet, "MG Breast Screening").getPresentedFormFirstRep().getData())
        .hasSizeLessThanOrEqualTo(100);
  }

  @Test
  void aPulledBinaryWithinTheLimitIsBroughtIntoThePacket() {
    Bundle packet = assembler(1 << 20).assemble(breast());

    Attachment discharge =
        document(packet, "Discharge summary").getContentFirstRep().getAttachment();
    assertThat(discharge.hasUrl()).isFalse();
    assertThat(new String(discharge.getData(), StandardCharsets.UTF_8))
        .startsWith("Discharge summary (synthetic)");
  }

  @Test
  void missingItemsAreNamedWithWhyTheyMatter() {
    PacketSources sources =
        PacketFixtures.sources(
            SyntheticCancerPatients.all().stream()
                .filter(p -> !p.complete())
                .findFirst()
                .orElseThrow(),
            "Second look at surgery");

    Bundle packet = assembler(1 << 20).assemble(sources);

    Composition.SectionComponent completeness = section(packet, "completeness");
    assertThat(completeness.getText().getDivAsString())
        .contains(
            "Pathology or biopsy report",
            "Discharge summary",
            "Current treatment plan",
            "Without the current treatment plan",
            "chose to proceed");
    assertThat(completeness.getSection())
        .extracting(s -> s.getCode().getCodingFirstRep().getCode())
        .contains("pathology-report", "discharge-summary", "treatment-plan");
    assertThat(section(packet, "treatment-plan").getEmptyReason().getCodingFirstRep().getCode())
        .isEqualTo("unavailable");
    assertThat(PacketChecks.validationErrors(packet)).isEmpty();
  }

  @Test
  void aReferralWithoutQuestionsOrStartDateSaysSoInItsSections() {
    PacketSources sources =
        PacketFixtures.sourcesWithoutQuestionsOrStartDate(
            SyntheticCancerPatients.withVolume("unit-2", 40), "Confirm stage");

    Bundle packet = assembler(1 << 20).assemble(sources);

    assertThat(section(packet, "reason-and-questions").getText().getDivAsString())
        .contains("Confirm stage", "No patient questions were given with this referral.")
        .doesNotContain("The patient's questions:");
    assertThat(entries(packet, QuestionnaireResponse.class)).isEmpty();
    assertThat(section(packet, "urgency").getText().getDivAsString())
        .contains("urgent", "Treatment must start by:", "not known", "priority alone");
    assertThat(section(packet, "completeness").getText().getDivAsString())
        .contains("Not available", "The patient's questions");
    assertThat(PacketChecks.validationErrors(packet)).isEmpty();
  }

  private static DiagnosticReport report(Bundle packet, String code) {
    return entries(packet, DiagnosticReport.class).stream()
        .filter(r -> code.equals(r.getCode().getCodingFirstRep().getDisplay()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No report " + code));
  }

  private static DocumentReference document(Bundle packet, String type) {
    return entries(packet, DocumentReference.class).stream()
        .filter(d -> type.equals(d.getType().getCodingFirstRep().getDisplay()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No document " + type));
  }

  private static <T extends Resource> List<T> entries(Bundle packet, Class<T> type) {
    return packet.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
