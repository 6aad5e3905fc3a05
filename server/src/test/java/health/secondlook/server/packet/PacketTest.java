package health.secondlook.server.packet;

import static health.secondlook.server.packet.PacketChecks.composition;
import static health.secondlook.server.packet.PacketChecks.section;
import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhrs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The packet made from records really pulled from the sandbox EHR: stored, linked from the
 * referral, retrievable by the recipient as {@code Bundle/{id}}, made again by a new pull, made on
 * the referrer's word with records missing ({@code $proceed}), and never changed once stored.
 */
@H2ServerTest
class PacketTest {

  private static final Duration PULL = Duration.ofSeconds(60);
  private static final Map<String, String> REFERRALS = new ConcurrentHashMap<>();

  @LocalServerPort int port;

  IGenericClient secondLook() {
    return FhirClients.client(base());
  }

  String base() {
    return "http://localhost:" + port + "/fhir";
  }

  @Test
  void completeRecordsGiveAStoredDocumentPacketLinkedFromTheReferral() throws Exception {
    Task done = pulled(TestEhrs.PACKET_PATIENT);
    assertThat(progress(done)).isEqualTo("records-complete");

    String packetReference = output(done, "packet");
    Bundle packet = secondLook().read().resource(Bundle.class).withUrl(packetReference).execute();

    assertThat(packet.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
    assertThat(packet.getIdentifier().getValue()).startsWith("urn:uuid:");
    assertThat(packet.hasTimestamp()).isTrue();
    Composition composition = composition(packet);
    assertThat(composition.getType().getCodingFirstRep().getCode()).isEqualTo("57133-1");
    assertThat(composition.getSection()).hasSize(10);
    assertThat(composition.getSection())
        .allSatisfy(
            s ->
                assertThat(s.getText().getDivAsString().replaceAll("<[^>]+>", ""))
                    .as(s.getTitle())
                    .isNotBlank());
    assertThat(section(packet, "pathology").getText().getDivAsString())
        .contains("invasive ductal carcinoma");
    assertThat(section(packet, "imaging").getEntry()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(PacketChecks.unresolvedReferences(packet)).isEmpty();
    assertThat(PacketChecks.validationErrors(packet)).isEmpty();
    assertThat(packet.getSignature().getSigFormat()).isEqualTo("application/jose");
    Parameters verification =
        secondLook()
            .operation()
            .onInstance(packetReference)
            .named("$verify-signature")
            .withNoParameters(Parameters.class)
            .useHttpGet()
            .execute();
    assertThat(((BooleanType) verification.getParameterValue("valid")).booleanValue())
        .as("the stored packet's signature verifies")
        .isTrue();

    Provenance provenance = only(packet, Provenance.class);
    assertThat(provenance.getTarget().get(0).getReference())
        .isEqualTo(packet.getEntryFirstRep().getFullUrl());
    assertThat(entry(packet, provenance.getAgentFirstRep().getWho(), Device.class).getUrl())
        .isEqualTo(TestEhrs.get().sandbox.baseUrl());

    ServiceRequest referral =
        secondLook()
            .read()
            .resource(ServiceRequest.class)
            .withUrl(done.getFocus().getReference())
            .execute();
    assertThat(referral.getSupportingInfo())
        .extracting(Reference::getReference)
        .contains(packetReference)
        .anyMatch(r -> r.startsWith("QuestionnaireResponse/"));
  }

  @Test
  void attachmentsOverTheLimitAreLinkedOnSecondLookAndTheLinkServesThatContent() throws Exception {
    Bundle packet = packet(pulled(TestEhrs.PACKET_PATIENT));

    Attachment discharge =
        packet.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(DocumentReference.class::isInstance)
            .map(DocumentReference.class::cast)
            .filter(d -> d.getType().getCodingFirstRep().getCode().equals("18842-5"))
            .findFirst()
            .orElseThrow()
            .getContentFirstRep()
            .getAttachment();
    assertThat(discharge.hasData()).isFalse();
    assertThat(discharge.getSize()).isGreaterThan(TestEhrs.PACKET_MAX_INLINE_BYTES);
    assertThat(discharge.getUrl()).startsWith(base() + "/Binary/");
    Binary linked =
        secondLook().read().resource(Binary.class).withUrl(discharge.getUrl()).execute();
    assertThat(MessageDigest.getInstance("SHA-1").digest(linked.getData()))
        .isEqualTo(discharge.getHash());

    List<Attachment> inline =
        packet.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(DiagnosticReport.class::isInstance)
            .map(r -> ((DiagnosticReport) r).getPresentedFormFirstRep())
            .filter(Attachment::hasData)
            .toList();
    assertThat(inline)
        .isNotEmpty()
        .allMatch(a -> a.getData().length <= TestEhrs.PACKET_MAX_INLINE_BYTES);
  }

  @Test
  void pullingAgainMakesANewPacketAndKeepsTheFirstUnchanged() {
    Task first = pulled(TestEhrs.PACKET_REPULL_PATIENT);
    Bundle firstPacket = packet(first);

    secondLook()
        .operation()
        .onInstance(first.getIdElement().toUnqualifiedVersionless())
        .named("$rerun-pull")
        .withNoParameters(Parameters.class)
        .execute();
    Task second = awaitPullEnd(secondLook(), first.getIdPart(), PULL);
    Bundle secondPacket = packet(second);

    assertThat(secondPacket.getIdPart()).isNotEqualTo(firstPacket.getIdPart());
    assertThat(secondPacket.getIdentifier().getValue())
        .isNotEqualTo(firstPacket.getIdentifier().getValue());
    Bundle firstAgain =
        secondLook().read().resource(Bundle.class).withId(firstPacket.getIdPart()).execute();
    assertThat(FhirClients.R4.newJsonParser().encodeResourceToString(firstAgain))
        .isEqualTo(FhirClients.R4.newJsonParser().encodeResourceToString(firstPacket));
    ServiceRequest referral =
        secondLook()
            .read()
            .resource(ServiceRequest.class)
            .withUrl(second.getFocus().getReference())
            .execute();
    assertThat(referral.getSupportingInfo())
        .extracting(Reference::getReference)
        .filteredOn(r -> r.startsWith("Bundle/"))
        .containsExactly("Bundle/" + secondPacket.getIdPart());
  }

  @Test
  void proceedingWithIncompleteRecordsMakesAPacketThatNamesWhatIsMissing() {
    Task incomplete = pulled(TestEhrs.PACKET_INCOMPLETE_PATIENT);
    assertThat(progress(incomplete)).isEqualTo("records-incomplete");
    assertThat(incomplete.getOutput())
        .noneMatch(o -> o.getType().getCodingFirstRep().getCode().equals("packet"));

    Task proceeding = proceed(incomplete);

    assertThat(progress(proceeding)).isEqualTo("proceeding-incomplete");
    Bundle packet = packet(proceeding);
    Composition.SectionComponent completeness = section(packet, "completeness");
    assertThat(completeness.getText().getDivAsString())
        .contains("Discharge summary", "Current treatment plan", "chose to proceed");
    assertThat(completeness.getSection())
        .extracting(s -> s.getCode().getCodingFirstRep().getCode())
        .filteredOn(code -> !code.equals("left-out"))
        .containsExactlyInAnyOrder("discharge-summary", "treatment-plan");
    // What no rule kept is said too, by rule, though it is not in the packet.
    assertThat(completeness.getSection())
        .filteredOn(s -> s.getCode().getCodingFirstRep().getCode().equals("left-out"))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.getText().getDivAsString()).contains("record(s)"));
    assertThat(PacketChecks.validationErrors(packet)).isEmpty();

    assertThatThrownBy(() -> proceed(proceeding))
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(412);
              assertThat(diagnostics(e)).contains("proceeding-incomplete", "records-incomplete");
            });
  }

  /** What is signed before storage must be what the recipient reads back, byte for byte. */
  @Test
  void aPacketComesBackFromStorageExactlyAsAssembled() {
    Bundle assembled =
        new PacketAssembler(FhirClients.R4, Clock.systemUTC(), UUID::randomUUID, 1 << 20, null)
            .assemble(
                PacketFixtures.sources(
                    SyntheticCancerPatients.withVolume("round-trip-1", 40), "Confirm the plan"));

    String id = secondLook().create().resource(assembled).execute().getId().getIdPart();
    Bundle stored = secondLook().read().resource(Bundle.class).withId(id).execute();

    assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
    stored.setIdElement(null).setMeta(null);
    assertThat(FhirClients.R4.newJsonParser().encodeResourceToString(stored))
        .isEqualTo(FhirClients.R4.newJsonParser().encodeResourceToString(assembled));
  }

  @Test
  void storedPacketsAndSignedBundlesCannotBeChangedOrDeleted() {
    Bundle signed = new Bundle().setType(Bundle.BundleType.COLLECTION);
    signed
        .getSignature()
        .addType(
            new Coding(
                "urn:iso-astm:E1762-95:2013", "1.2.840.10065.1.12.1.1", "Author's Signature"))
        .setWhen(new Date())
        .setWho(new Reference().setDisplay("a dummy signer"))
        .setSigFormat("application/jose")
        .setData("not a real signature".getBytes(StandardCharsets.UTF_8));
    String id = secondLook().create().resource(signed).execute().getId().getIdPart();
    Bundle stored = secondLook().read().resource(Bundle.class).withId(id).execute();

    stored.setTimestamp(new Date());
    assertRefused(() -> secondLook().update().resource(stored).execute(), "Bundle/" + id, "signed");
    assertRefused(
        () -> secondLook().delete().resourceById("Bundle", id).execute(), "Bundle/" + id, "signed");

    Bundle packet = packet(pulled(TestEhrs.PACKET_PATIENT));
    assertRefused(
        () -> secondLook().delete().resourceById("Bundle", packet.getIdPart()).execute(),
        "Bundle/" + packet.getIdPart(),
        "cannot be deleted");
  }

  private void assertRefused(Runnable change, String... mentions) {
    assertThatThrownBy(change::run)
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(405);
              assertThat(diagnostics(e)).contains(mentions);
            });
  }

  /**
   * The referral Task of this sandbox patient once its pull has ended; referred on first use, since
   * a patient has one open referral at a time.
   */
  private Task pulled(String patient) {
    String taskId =
        REFERRALS.computeIfAbsent(
            patient, p -> task(submit(secondLook(), request(TestEhrs.SANDBOX, p))).getIdPart());
    return awaitPullEnd(secondLook(), taskId, PULL);
  }

  private Bundle packet(Task task) {
    return secondLook().read().resource(Bundle.class).withUrl(output(task, "packet")).execute();
  }

  private Task proceed(Task task) {
    return secondLook()
        .operation()
        .onInstance(task.getIdElement().toUnqualifiedVersionless())
        .named("$proceed")
        .withNoParameters(Parameters.class)
        .returnResourceType(Task.class)
        .execute();
  }

  private static String output(Task task, String type) {
    return task.getOutput().stream()
        .filter(o -> o.getType().getCodingFirstRep().getCode().equals(type))
        .map(o -> ((Reference) o.getValue()).getReference())
        .findFirst()
        .orElseThrow(() -> new AssertionError("Task has no " + type + " output"));
  }

  private static String diagnostics(BaseServerResponseException e) {
    return ((OperationOutcome) e.getOperationOutcome()).getIssueFirstRep().getDiagnostics();
  }

  private static <T extends Resource> T only(Bundle packet, Class<T> type) {
    return packet.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .reduce(
            (a, b) -> {
              throw new AssertionError("more than one " + type.getSimpleName());
            })
        .orElseThrow();
  }

  private static <T extends Resource> T entry(Bundle packet, Reference reference, Class<T> type) {
    return packet.getEntry().stream()
        .filter(e -> e.getFullUrl().equals(reference.getReference()))
        .map(e -> type.cast(e.getResource()))
        .findFirst()
        .orElseThrow();
  }
}
