package health.secondlook.server.writeback;

import static health.secondlook.server.support.FhirClients.search;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.writeback.WriteBackTest.WRITE_BACK;
import static health.secondlook.server.writeback.WriteBackTest.pulled;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.REFERRAL_PROGRESS_SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.Outage;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A specialist's request for more information reaches the referring team in their own EHR: after
 * {@code $request-information} the EHR holds one CommunicationRequest about the referral, naming
 * the items and the note, while the referral at SecondLook stays {@code awaiting-information}; an
 * operator's retry makes nothing new; with the EHR down the failure shows on the request at
 * SecondLook, and a retry once it is back writes it, once.
 */
@H2ServerTest
class InformationRequestWriteBackTest {

  private static final String NOTE = "The restaging PET-CT report from last week";

  @LocalServerPort int port;

  IGenericClient secondLook() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }

  @Test
  void theRequestArrivesOnceAtTheReferringEhrAndTheReferralStaysAwaitingInformation() {
    IGenericClient ehr = FhirClients.client(TestEhrs.get().sandbox.baseUrl());
    String patient = TestEhrs.INFORMATION_WRITE_BACK_PATIENT;
    Task referral = pulled(secondLook(), TestEhrs.SANDBOX, patient);

    Task awaiting = requestInformation(accepted(referral));
    CommunicationRequest asked = informationRequest(awaiting);
    CommunicationRequest written = awaitWrite(asked.getIdPart());

    assertThat(state(written)).as(statusText(written)).isEqualTo("written-back");
    assertThat(written.getMeta().getTag()).as("the queued tag is gone").hasSize(1);
    List<CommunicationRequest> atEhr =
        search(ehr, CommunicationRequest.class, "patient=" + patient);
    assertThat(atEhr).hasSize(1);
    CommunicationRequest request = atEhr.get(0);
    assertThat(statusText(written))
        .contains(
            "EHR 'sandbox'", "CommunicationRequest/" + request.getIdElement().getIdPart(), "made");
    assertThat(request.getIdentifierFirstRep().getValue())
        .isEqualTo(asked.getIdentifierFirstRep().getValue());
    assertThat(request.getStatus())
        .isEqualTo(CommunicationRequest.CommunicationRequestStatus.ACTIVE);
    assertThat(request.getSubject().getReference()).isEqualTo("Patient/" + patient);
    assertThat(request.getPayload())
        .extracting(p -> p.getContentStringType().getValue())
        .containsExactly("Imaging report", NOTE);
    assertThat(request.getText().getDivAsString()).contains("Imaging report", "restaging PET-CT");
    assertThat(request.getAbout())
        .extracting(Reference::getType, r -> r.getIdentifier().getValue())
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "Task", referral.getIdentifierFirstRep().getValue()));
    assertThat(request.getBasedOnFirstRep().getType()).isEqualTo("ServiceRequest");
    assertThat(request.getBasedOnFirstRep().getIdentifier().getValue())
        .isEqualTo(referral.getIdentifierFirstRep().getValue());
    assertThat(request.getAuthoredOn()).isEqualTo(asked.getAuthoredOn());
    assertThat(request.getRecipientFirstRep().getIdentifier().getValue()).isEqualTo("1234567893");

    Task after = secondLook().read().resource(Task.class).withId(referral.getIdPart()).execute();
    assertThat(progress(after)).isEqualTo("awaiting-information");
    assertThat(after.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);

    // An operator's retry writes it again: the conditional create finds it, nothing new is made.
    CommunicationRequest queued = retry(asked.getIdPart());
    assertThat(state(queued)).isEqualTo("write-back-queued");
    CommunicationRequest again = awaitWrite(asked.getIdPart());
    assertThat(state(again)).as(statusText(again)).isEqualTo("written-back");
    assertThat(statusText(again))
        .contains("CommunicationRequest/" + request.getIdElement().getIdPart(), "already there");
    assertThat(search(ehr, CommunicationRequest.class, "patient=" + patient)).hasSize(1);
    assertThat(
            progress(
                secondLook().read().resource(Task.class).withId(referral.getIdPart()).execute()))
        .isEqualTo("awaiting-information");
  }

  @Test
  void aCommunicationRequestNotMadeByRequestInformationIsNotRetried() {
    CommunicationRequest other = new CommunicationRequest();
    other.setStatus(CommunicationRequest.CommunicationRequestStatus.ACTIVE);
    other.addPayload().setContent(new StringType("Please call the ward"));
    String id = secondLook().create().resource(other).execute().getId().getIdPart();

    assertThatThrownBy(() -> retry(id))
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("not a request for more information");
  }

  @Test
  void whileTheEhrIsDownTheFailureShowsOnTheRequestAndARetryOnceItIsBackWritesItOnce() {
    Outage outage = TestEhrs.get().informationOutage.faults();
    IGenericClient ehr = FhirClients.client(TestEhrs.get().informationOutage.baseUrl());
    String patient = TestEhrs.INFORMATION_OUTAGE_PATIENT;
    Task referral = pulled(secondLook(), TestEhrs.INFORMATION_OUTAGE, patient);
    Task accepted = accepted(referral);

    CommunicationRequest asked;
    CommunicationRequest failed;
    int refusedBefore = outage.refused();
    outage.down();
    try {
      asked = informationRequest(requestInformation(accepted));
      failed = awaitWrite(asked.getIdPart());
    } finally {
      outage.up();
    }

    assertThat(state(failed)).isEqualTo("write-back-failed");
    assertThat(statusText(failed))
        .contains(
            "EHR 'information-outage' (" + TestEhrs.get().informationOutage.baseUrl() + ")",
            "POST Communication (If-None-Exist: identifier=",
            "HTTP 503",
            "CommunicationRequest/" + asked.getIdPart() + "/$retry-write-back");
    assertThat(outage.refused() - refusedBefore)
        .as("tries: max-attempts, the first included")
        .isEqualTo(3);
    assertThat(
            progress(
                secondLook().read().resource(Task.class).withId(referral.getIdPart()).execute()))
        .as("the referral's own state is not the write's")
        .isEqualTo("awaiting-information");
    assertThat(search(ehr, Communication.class, "patient=" + patient)).isEmpty();

    assertThat(state(retry(asked.getIdPart()))).isEqualTo("write-back-queued");
    CommunicationRequest written = awaitWrite(asked.getIdPart());
    assertThat(state(written)).as(statusText(written)).isEqualTo("written-back");

    List<Communication> messages = search(ehr, Communication.class, "patient=" + patient);
    assertThat(messages).hasSize(1);
    Communication message = messages.get(0);
    assertThat(message.getIdentifierFirstRep().getValue())
        .isEqualTo(asked.getIdentifierFirstRep().getValue());
    assertThat(message.getCategoryFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("instruction");
    assertThat(message.getPayload())
        .extracting(p -> p.getContent().primitiveValue())
        .containsExactly("Imaging report", NOTE);
    assertThat(message.getAboutFirstRep().getIdentifier().getValue())
        .isEqualTo(referral.getIdentifierFirstRep().getValue());
  }

  /** The referring team's state: the packet is made, and the specialist accepts the referral. */
  private Task accepted(Task referral) {
    Task task = secondLook().read().resource(Task.class).withId(referral.getIdPart()).execute();
    task.setStatus(Task.TaskStatus.ACCEPTED);
    secondLook().update().resource(task).execute();
    return secondLook().read().resource(Task.class).withId(referral.getIdPart()).execute();
  }

  private Task requestInformation(Task task) {
    Parameters ask = new Parameters();
    ask.addParameter("item", new Coding(PACKET_ITEM_SYSTEM, "imaging-report", null));
    ask.addParameter("note", new StringType(NOTE));
    return secondLook()
        .operation()
        .onInstance(task.getIdElement().toUnqualifiedVersionless())
        .named("$request-information")
        .withParameters(ask)
        .returnResourceType(Task.class)
        .execute();
  }

  private CommunicationRequest informationRequest(Task awaiting) {
    String reference =
        awaiting.getOutput().stream()
            .filter(
                o ->
                    o.getType().getCoding().stream()
                        .anyMatch(c -> "information-request".equals(c.getCode())))
            .map(o -> ((Reference) o.getValue()).getReference())
            .findFirst()
            .orElseThrow();
    return secondLook().read().resource(CommunicationRequest.class).withUrl(reference).execute();
  }

  private CommunicationRequest awaitWrite(String id) {
    return await()
        .atMost(WRITE_BACK)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> secondLook().read().resource(CommunicationRequest.class).withId(id).execute(),
            r -> List.of("written-back", "write-back-failed").contains(state(r)));
  }

  private CommunicationRequest retry(String id) {
    return secondLook()
        .operation()
        .onInstance("CommunicationRequest/" + id)
        .named("$retry-write-back")
        .withNoParameters(Parameters.class)
        .returnResourceType(CommunicationRequest.class)
        .execute();
  }

  private static String state(CommunicationRequest request) {
    return request.getMeta().getTag().stream()
        .filter(t -> REFERRAL_PROGRESS_SYSTEM.equals(t.getSystem()))
        .map(Coding::getCode)
        .findFirst()
        .orElse("");
  }

  private static String statusText(CommunicationRequest request) {
    Type value =
        request
            .getExtensionByUrl(
                "https://secondlook.health/fhir/StructureDefinition/write-back-status")
            .getValue();
    return value.primitiveValue();
  }
}
