package health.secondlook.server.writeback;

import static health.secondlook.server.support.FhirClients.search;
import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static health.secondlook.terminology.TerminologyContent.DIAGNOSIS_AGREEMENT_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import health.secondlook.server.pull.LocalIds;
import health.secondlook.server.review.FeedbackDocument;
import health.secondlook.server.review.Review;
import health.secondlook.server.signing.BundleVerifier;
import health.secondlook.server.signing.PacketSignatures;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.TestEhrs;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A reviewed referral's outcome arrives in the referring EHR (the sandbox, a plain R4 server) the
 * way the r4-default mapping says: one consult-note DocumentReference carrying the signed feedback
 * document, one DiagnosticReport stating the review in the EHR's terms, and the EHR's referral Task
 * completed and pointing at both. Writing it back again creates nothing new, and a later pull of
 * the patient still finds the records complete.
 */
@H2ServerTest
class WriteBackTest {

  static final Duration PULL = Duration.ofSeconds(60);
  static final Duration WRITE_BACK = Duration.ofSeconds(60);
  static final String CONSULT_NOTE = "http://loinc.org|11488-4";

  @LocalServerPort int port;
  @Autowired PacketSignatures signatures;
  @Autowired BundleVerifier verifier;

  IGenericClient secondLook() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }

  IGenericClient ehr() {
    return FhirClients.client(TestEhrs.get().sandbox.baseUrl());
  }

  @Test
  void theReviewArrivesOnceAsASignedConsultNoteASummaryAndTheCompletedTask() throws Exception {
    String patient = TestEhrs.WRITE_BACK_PATIENT;
    Task referral = pulled(secondLook(), TestEhrs.SANDBOX, patient);
    Review review = ReviewSubmissions.review("9876543210");
    Bundle feedback = new ReviewSubmissions(secondLook()).submit(referral.getIdPart(), review);

    Task done = awaitWriteBack(secondLook(), referral.getIdPart());
    assertThat(progress(done)).as(done.getBusinessStatus().getText()).isEqualTo("written-back");

    // One consult note for the patient at the EHR, carrying the feedback document as signed.
    List<DocumentReference> notes =
        search(ehr(), DocumentReference.class, "patient=" + patient + "&type=" + CONSULT_NOTE);
    assertThat(notes).hasSize(1);
    DocumentReference note = notes.get(0);
    assertThat(note.getMasterIdentifier().getValue())
        .isEqualTo(feedback.getIdentifier().getValue());
    assertThat(note.getSubject().getReference()).isEqualTo("Patient/" + patient);
    assertThat(note.getContext().getRelated())
        .extracting(r -> r.getIdentifier().getValue())
        .contains(referral.getIdentifierFirstRep().getValue());
    Attachment attachment = note.getContentFirstRep().getAttachment();
    assertThat(attachment.getContentType()).isEqualTo("application/fhir+json");
    byte[] data = attachment.getData();
    assertThat(attachment.getSize()).isEqualTo(data.length);
    assertThat(attachment.getHash()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(data));
    String json = new String(data, UTF_8);
    assertThat(verifier.verifyJson(json).problems()).isEmpty();
    Bundle carried = FhirClients.R4.newJsonParser().parseResource(Bundle.class, json);
    assertThat(signatures.verify(carried).valid()).isTrue();
    assertThat(carried.getIdentifier().getValue()).isEqualTo(feedback.getIdentifier().getValue());
    assertThat(FeedbackDocument.review(carried).recommendedPlan())
        .isEqualTo(review.recommendedPlan());

    // One summary, coded and readable, linked to the consult note.
    List<DiagnosticReport> reports =
        search(ehr(), DiagnosticReport.class, "patient=" + patient + "&code=" + CONSULT_NOTE);
    assertThat(reports).hasSize(1);
    DiagnosticReport report = reports.get(0);
    assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
    assertThat(report.getSubject().getReference()).isEqualTo("Patient/" + patient);
    assertThat(report.getConclusionCode())
        .flatExtracting(c -> c.getCoding())
        .extracting(Coding::getSystem, Coding::getCode)
        .contains(
            tuple(REVIEW_OUTCOME_SYSTEM, "modifies-plan"),
            tuple(DIAGNOSIS_AGREEMENT_SYSTEM, "partly"));
    assertThat(report.getConclusion())
        .contains(
            "Modifies part of the plan",
            "Partly agrees",
            review.recommendedPlan(),
            review.trials().get(0),
            "Can I keep working during treatment?",
            review.answers().get(0).text(),
            review.summary());
    assertThat(report.getText().getDivAsString()).contains("Add adjuvant radiotherapy");
    assertThat(
            ((Reference) report.getExtensionByUrl(WriteBackContent.SUPPORTING_INFO).getValue())
                .getReference())
        .isEqualTo("DocumentReference/" + note.getIdPart());

    // The EHR's referral Task: completed with the outcome, pointing at both.
    Task ehrTask = onlyTask(referral);
    assertThat(ehrTask.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
    assertThat(ehrTask.getFor().getReference()).isEqualTo("Patient/" + patient);
    assertThat(ehrTask.getBusinessStatus().getCodingFirstRep().getCode())
        .isEqualTo("modifies-plan");
    assertThat(ehrTask.getOutput())
        .extracting(o -> ((Reference) o.getValue()).getReference())
        .containsExactly(
            "DocumentReference/" + note.getIdPart(), "DiagnosticReport/" + report.getIdPart());
    assertThat(done.getBusinessStatus().getText())
        .contains("EHR 'sandbox'", "DocumentReference/" + note.getIdPart());

    // An operator writes it back again: nothing new at the EHR.
    Task again = retryWriteBack(secondLook(), referral.getIdPart());
    assertThat(progress(again)).isEqualTo("write-back-queued");
    Task redone = awaitWriteBack(secondLook(), referral.getIdPart());
    assertThat(progress(redone)).isEqualTo("written-back");
    assertThat(redone.getBusinessStatus().getText()).contains("already there");
    assertThat(
            search(ehr(), DocumentReference.class, "patient=" + patient + "&type=" + CONSULT_NOTE))
        .extracting(Resource::getIdPart)
        .containsExactly(note.getIdPart());
    assertThat(
            search(ehr(), DiagnosticReport.class, "patient=" + patient + "&code=" + CONSULT_NOTE))
        .extracting(Resource::getIdPart)
        .containsExactly(report.getIdPart());
    assertThat(onlyTask(referral).getIdPart()).isEqualTo(ehrTask.getIdPart());

    // A later referral for the same patient pulls the consult note as a record, and the records
    // are as complete as before.
    Task later =
        awaitPullEnd(
            secondLook(),
            task(submit(secondLook(), request(TestEhrs.SANDBOX, patient))).getIdPart(),
            PULL);
    assertThat(progress(later))
        .as(later.getBusinessStatus().getText())
        .isEqualTo("records-complete");
    ListResource pulledRecords =
        secondLook()
            .read()
            .resource(ListResource.class)
            .withUrl(
                later.getOutput().stream()
                    .filter(o -> o.getType().getCodingFirstRep().getCode().equals("pulled-records"))
                    .map(o -> ((Reference) o.getValue()).getReference())
                    .findFirst()
                    .orElseThrow())
            .execute();
    assertThat(pulledRecords.getEntry())
        .extracting(e -> e.getItem().getReference())
        .contains("DocumentReference/" + LocalIds.of(TestEhrs.SANDBOX, note.getIdPart()));
  }

  @Test
  void aRetryWithoutAReviewIsRefusedWithAnOperationOutcome() {
    Task referral =
        task(
            submit(
                secondLook(), request(TestEhrs.SANDBOX, TestEhrs.WRITE_BACK_UNREVIEWED_PATIENT)));

    assertThatThrownBy(() -> retryWriteBack(secondLook(), referral.getIdPart()))
        .isInstanceOfSatisfying(
            PreconditionFailedException.class,
            e ->
                assertThat(
                        ((OperationOutcome) e.getOperationOutcome())
                            .getIssueFirstRep()
                            .getDiagnostics())
                    .contains("Task/" + referral.getIdPart(), "no review to write back"));
  }

  static Task pulled(IGenericClient secondLook, String ehr, String patient) {
    Task task = task(submit(secondLook, request(ehr, patient)));
    Task done = awaitPullEnd(secondLook, task.getIdPart(), PULL);
    assertThat(progress(done)).as(done.getBusinessStatus().getText()).isEqualTo("records-complete");
    return done;
  }

  static Task awaitWriteBack(IGenericClient secondLook, String taskId) {
    return await()
        .atMost(WRITE_BACK)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> secondLook.read().resource(Task.class).withId(taskId).execute(),
            t -> List.of("written-back", "write-back-failed").contains(progress(t)));
  }

  static Task retryWriteBack(IGenericClient secondLook, String taskId) {
    return (Task)
        secondLook
            .operation()
            .onInstance("Task/" + taskId)
            .named("$retry-write-back")
            .withNoParameters(Parameters.class)
            .returnResourceType(Task.class)
            .execute();
  }

  private Task onlyTask(Task referral) {
    List<Task> tasks =
        search(
            ehr(),
            Task.class,
            "identifier="
                + referral.getIdentifierFirstRep().getSystem()
                + "|"
                + referral.getIdentifierFirstRep().getValue());
    assertThat(tasks).hasSize(1);
    return tasks.get(0);
  }
}
