package health.secondlook.server;

import static health.secondlook.server.support.FhirClients.search;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.review.FeedbackDocument;
import health.secondlook.server.review.Review;
import health.secondlook.server.signing.BundleVerifier;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole loop across three real FHIR endpoints: the referring EHR (the sandbox EHR), SecondLook,
 * and the receiving specialist's system (the sandbox recipient). Request, pull, signed packet, push
 * delivery, acceptance, review, signed feedback, write-back: afterwards the referring EHR holds the
 * review as a signed consult note and a summary that say what the specialist said, and the
 * receiving system holds exactly one copy of the packet.
 */
@H2ServerTest
class SecondOpinionLoopTest {

  private static final Duration STEP = Duration.ofSeconds(90);
  private static final String CONSULT_NOTE = "http://loinc.org|11488-4";

  @LocalServerPort int port;
  @Autowired BundleVerifier verifier;

  @Test
  void aReferralTravelsToTheSpecialistAndTheReviewComesBackIntoTheReferringEhr() {
    IGenericClient secondLook = FhirClients.client("http://localhost:" + port + "/fhir");
    IGenericClient ehr = FhirClients.client(TestEhrs.get().sandbox.baseUrl());
    IGenericClient recipient = FhirClients.client(TestEhrs.get().recipient.baseUrl());
    String patient = TestEhrs.LOOP_PATIENT;

    // 1. The referring team asks; SecondLook pulls, packs, signs and pushes the packet.
    Parameters ask = request(TestEhrs.SANDBOX, patient);
    ask.getParameter().removeIf(p -> p.getName().equals("recipient"));
    ask.addParameter("recipient", new StringType(TestEhrs.PUSH_TRANSACTION));
    String taskId = task(submit(secondLook, ask)).getIdPart();
    Task delivered =
        awaitProgress(secondLook, taskId, "delivered", "delivery-failed", "pull-failed");
    assertThat(progress(delivered))
        .as(delivered.getBusinessStatus().getText())
        .isEqualTo("delivered");
    assertThat(delivered.getStatus()).isEqualTo(TaskStatus.RECEIVED);

    // 2. The specialist's system holds one copy of the packet, and it verifies there.
    Bundle packet =
        secondLook
            .read()
            .resource(Bundle.class)
            .withUrl(ReferralTasks.output(delivered, "packet").orElseThrow())
            .execute();
    Identifier packetId = packet.getIdentifier();
    List<Bundle> copies =
        search(
            recipient,
            Bundle.class,
            "identifier=" + packetId.getSystem() + "|" + packetId.getValue());
    assertThat(copies).hasSize(1);
    String atRecipient = FhirClients.R4.newJsonParser().encodeResourceToString(copies.get(0));
    assertThat(verifier.verifyJson(atRecipient).valid())
        .as("the recipient's copy verifies")
        .isTrue();

    // 3. The specialist accepts, works on it and submits the review.
    Task accepted = delivered.copy().setStatus(TaskStatus.ACCEPTED);
    secondLook.update().resource(accepted).execute();
    Task working = secondLook.read().resource(Task.class).withId(taskId).execute();
    secondLook.update().resource(working.setStatus(TaskStatus.INPROGRESS)).execute();
    Parameters review = new Parameters();
    review.addParameter(
        "outcome", new Coding(REVIEW_OUTCOME_SYSTEM, "recommends-clinical-trial", null));
    review.addParameter("diagnosisAgreement", new CodeType("agree"));
    review.addParameter(
        "recommendedPlan", new StringType("Neoadjuvant chemotherapy within a trial"));
    review.addParameter("trial", new StringType("NCT05012345 (neoadjuvant de-escalation)"));
    review.addParameter("summary", new StringType("Stage and pathology confirmed."));
    review.addParameter(
        "reviewer",
        new Identifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1558444216"));
    Parameters submitted =
        secondLook
            .operation()
            .onInstance("Task/" + taskId)
            .named("$submit-review")
            .withParameters(review)
            .execute();
    Bundle feedback = (Bundle) submitted.getParameter("feedback").getResource();

    // 4. SecondLook writes the outcome back into the referring EHR.
    Task done = awaitProgress(secondLook, taskId, "written-back", "write-back-failed");
    assertThat(progress(done)).as(done.getBusinessStatus().getText()).isEqualTo("written-back");
    assertThat(done.getStatus()).isEqualTo(TaskStatus.COMPLETED);

    List<DocumentReference> notes =
        search(ehr, DocumentReference.class, "patient=" + patient + "&type=" + CONSULT_NOTE);
    assertThat(notes).hasSize(1);
    String carried = new String(notes.get(0).getContentFirstRep().getAttachment().getData(), UTF_8);
    assertThat(verifier.verifyJson(carried).valid()).as("the signed feedback, as filed").isTrue();
    Review filed =
        FeedbackDocument.review(
            FhirClients.R4.newJsonParser().parseResource(Bundle.class, carried));
    assertThat(filed.outcome().getCode()).isEqualTo("recommends-clinical-trial");
    assertThat(filed.trials()).containsExactly("NCT05012345 (neoadjuvant de-escalation)");
    assertThat(filed.reviewer().getValue()).isEqualTo("1558444216");
    assertThat(notes.get(0).getMasterIdentifier().getValue())
        .isEqualTo(feedback.getIdentifier().getValue());

    List<DiagnosticReport> summaries =
        search(ehr, DiagnosticReport.class, "patient=" + patient + "&code=" + CONSULT_NOTE);
    assertThat(summaries).hasSize(1);
    assertThat(summaries.get(0).getConclusion())
        .contains(
            "Recommends a clinical trial",
            "Agrees",
            "Neoadjuvant chemotherapy within a trial",
            "NCT05012345",
            "Stage and pathology confirmed.");
    Identifier referral = done.getIdentifierFirstRep();
    List<Task> ehrTasks =
        search(ehr, Task.class, "identifier=" + referral.getSystem() + "|" + referral.getValue());
    assertThat(ehrTasks).hasSize(1);
    assertThat(ehrTasks.get(0).getStatus()).isEqualTo(TaskStatus.COMPLETED);

    // Still exactly one copy of the packet at the specialist's system.
    assertThat(
            search(
                recipient,
                Bundle.class,
                "identifier=" + packetId.getSystem() + "|" + packetId.getValue()))
        .hasSize(1);
  }

  private static Task awaitProgress(IGenericClient secondLook, String taskId, String... ends) {
    return await()
        .atMost(STEP)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> secondLook.read().resource(Task.class).withId(taskId).execute(),
            t -> List.of(ends).contains(progress(t)));
  }
}
