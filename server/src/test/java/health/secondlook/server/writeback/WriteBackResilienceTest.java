package health.secondlook.server.writeback;

import static health.secondlook.server.support.FhirClients.search;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.writeback.WriteBackTest.CONSULT_NOTE;
import static health.secondlook.server.writeback.WriteBackTest.awaitWriteBack;
import static health.secondlook.server.writeback.WriteBackTest.pulled;
import static health.secondlook.server.writeback.WriteBackTest.retryWriteBack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import health.secondlook.server.support.FaultInjection;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.Outage;
import health.secondlook.server.support.TestEhrs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The referring EHR misbehaves while reviews are written back: with a third of its requests failing
 * (500s, answers after the client gave up, dropped connections) every review still arrives exactly
 * once; while it is down, the write-back ends {@code write-back-failed} saying where and why, and
 * an operator's {@code $retry-write-back} once it is back writes the review, once.
 */
@H2ServerTest
class WriteBackResilienceTest {

  @LocalServerPort int port;

  IGenericClient secondLook() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }

  @Test
  void withAThirdOfWritesFailingEveryReviewArrivesExactlyOnce() {
    FaultInjection faults = TestEhrs.get().flakyWrites.faults();
    IGenericClient ehr = FhirClients.client(TestEhrs.get().flakyWrites.baseUrl());
    List<Task> referrals =
        IntStream.rangeClosed(1, TestEhrs.FLAKY_WRITES_PATIENTS)
            .mapToObj(
                i -> pulled(secondLook(), TestEhrs.FLAKY_WRITES, TestEhrs.flakyWritesPatientId(i)))
            .toList();
    ReviewSubmissions submissions = new ReviewSubmissions(secondLook());
    int injectedBefore = faults.injected();
    faults.setFailureRate(0.30);
    List<Bundle> feedback = new ArrayList<>();
    try {
      for (int i = 0; i < referrals.size(); i++) {
        feedback.add(
            submissions.submit(
                referrals.get(i).getIdPart(), ReviewSubmissions.review("100000000" + i)));
      }
      for (Task referral : referrals) {
        Task done = awaitWriteBack(secondLook(), referral.getIdPart());
        assertThat(progress(done)).as(done.getBusinessStatus().getText()).isEqualTo("written-back");
      }
      // An operator's retry of all of them, still under faults, adds nothing.
      referrals.forEach(r -> retryWriteBack(secondLook(), r.getIdPart()));
      for (Task referral : referrals) {
        assertThat(progress(awaitWriteBack(secondLook(), referral.getIdPart())))
            .isEqualTo("written-back");
      }
    } finally {
      faults.setFailureRate(0);
    }
    assertThat(faults.injected() - injectedBefore).as("faults injected into writes").isPositive();

    for (int i = 0; i < referrals.size(); i++) {
      String patient = TestEhrs.flakyWritesPatientId(i + 1);
      String review = feedback.get(i).getIdentifier().getValue();
      List<DocumentReference> notes =
          search(ehr, DocumentReference.class, "patient=" + patient + "&type=" + CONSULT_NOTE);
      assertThat(notes).as(patient).hasSize(1);
      assertThat(notes.get(0).getMasterIdentifier().getValue()).isEqualTo(review);
      assertThat(
              search(ehr, DiagnosticReport.class, "patient=" + patient + "&code=" + CONSULT_NOTE))
          .as(patient)
          .hasSize(1);
      List<Task> tasks = search(ehr, Task.class, "patient=" + patient);
      assertThat(tasks).as(patient).hasSize(1);
      assertThat(tasks.get(0).getIdentifierFirstRep().getValue())
          .isEqualTo(referrals.get(i).getIdentifierFirstRep().getValue());
    }
  }

  @Test
  void whileTheEhrIsDownTheWriteBackFailsVisiblyAndAnOperatorRetriesItOnceItIsBack() {
    Outage outage = TestEhrs.get().outage.faults();
    IGenericClient ehr = FhirClients.client(TestEhrs.get().outage.baseUrl());
    String patient = TestEhrs.OUTAGE_PATIENT;
    Task referral = pulled(secondLook(), TestEhrs.OUTAGE, patient);
    Bundle feedback;
    Task failed;
    outage.down();
    try {
      feedback =
          new ReviewSubmissions(secondLook())
              .submit(referral.getIdPart(), ReviewSubmissions.review("2000000001"));
      // Queued or running: a second write-back at the same time is refused.
      assertThatThrownBy(() -> retryWriteBack(secondLook(), referral.getIdPart()))
          .isInstanceOf(PreconditionFailedException.class)
          .hasMessageContaining("already being written back");
      failed = awaitWriteBack(secondLook(), referral.getIdPart());
    } finally {
      outage.up();
    }

    assertThat(progress(failed)).isEqualTo("write-back-failed");
    assertThat(failed.getStatusReason().getText())
        .contains(
            "EHR 'outage' (" + TestEhrs.get().outage.baseUrl() + ")",
            "POST transaction of DocumentReference, Communication, Task",
            "HTTP 503",
            "$retry-write-back");
    assertThat(failed.getBusinessStatus().getText()).isEqualTo(failed.getStatusReason().getText());
    assertThat(outage.refused()).as("tries: max-attempts, the first included").isEqualTo(4);
    assertThat(search(ehr, DocumentReference.class, "patient=" + patient + "&type=" + CONSULT_NOTE))
        .isEmpty();

    Task queued = retryWriteBack(secondLook(), referral.getIdPart());
    assertThat(progress(queued)).isEqualTo("write-back-queued");
    assertThat(queued.hasStatusReason()).isFalse();
    Task done = awaitWriteBack(secondLook(), referral.getIdPart());
    assertThat(progress(done)).as(done.getBusinessStatus().getText()).isEqualTo("written-back");

    List<DocumentReference> notes =
        search(ehr, DocumentReference.class, "patient=" + patient + "&type=" + CONSULT_NOTE);
    assertThat(notes).hasSize(1);
    assertThat(notes.get(0).getMasterIdentifier().getValue())
        .isEqualTo(feedback.getIdentifier().getValue());
    List<Communication> messages = search(ehr, Communication.class, "patient=" + patient);
    assertThat(messages).hasSize(1);
    Communication message = messages.get(0);
    assertThat(message.getCategoryFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("notification");
    assertThat(message.getPayload())
        .extracting(
            p ->
                p.getContent() instanceof Reference r
                    ? r.getReference()
                    : p.getContent().primitiveValue())
        .contains("DocumentReference/" + notes.get(0).getIdPart())
        .anySatisfy(text -> assertThat(text).contains("Modifies part of the plan", "NCT04567420"));
    List<Task> tasks = search(ehr, Task.class, "patient=" + patient);
    assertThat(tasks).hasSize(1);
    assertThat(tasks.get(0).getOutput())
        .extracting(o -> ((Reference) o.getValue()).getReference())
        .containsExactly(
            "DocumentReference/" + notes.get(0).getIdPart(),
            "Communication/" + message.getIdPart());
    assertThat(
            new String(
                notes.get(0).getContentFirstRep().getAttachment().getData(),
                StandardCharsets.UTF_8))
        .contains(feedback.getIdentifier().getValue());
  }
}
