package health.secondlook.server.review;

import static health.secondlook.server.support.Referrals.awaitPullEnd;
import static health.secondlook.server.support.Referrals.progress;
import static health.secondlook.server.support.Referrals.request;
import static health.secondlook.server.support.Referrals.submit;
import static health.secondlook.server.support.Referrals.task;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.support.FhirClients;
import health.secondlook.server.support.H2ServerTest;
import health.secondlook.server.support.Referrals;
import health.secondlook.server.support.TestEhrs;
import java.time.Duration;
import java.util.Date;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The specialist's side of a real referral: status changes by plain FHIR updates, checked by
 * SecondLook; the review submitted with {@code $submit-review} and returned as a signed feedback
 * document; the "awaiting information" loop that ends in a new signed packet.
 */
@H2ServerTest
class ReviewWorkflowTest {

  private static final Duration PULL = Duration.ofSeconds(60);
  private static final Identifier REVIEWER =
      new Identifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1417947383");

  @LocalServerPort int port;

  IGenericClient secondLook() {
    return FhirClients.client("http://localhost:" + port + "/fhir");
  }

  @Test
  void anAcceptedReferralIsReviewedCompletedAndAnsweredWithASignedFeedbackDocument() {
    Task task = pulledReferral(TestEhrs.REVIEW_PATIENT);
    task = moveTo(task, TaskStatus.RECEIVED);
    task = moveTo(task, TaskStatus.ACCEPTED);
    task = moveTo(task, TaskStatus.INPROGRESS);

    Parameters result = submitReview(task, fullReview());

    Task completed = (Task) result.getParameter("task").getResource();
    assertThat(completed.getStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(progress(completed)).isEqualTo(ReferralTasks.WRITE_BACK_QUEUED);
    String feedbackReference = ReferralTasks.output(completed, "feedback").orElseThrow();
    Bundle feedback =
        secondLook().read().resource(Bundle.class).withUrl(feedbackReference).execute();

    assertThat(feedback.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
    assertThat(feedback.getIdentifier().getSystem()).isEqualTo(FeedbackDocument.IDENTIFIER_SYSTEM);
    Composition composition = (Composition) feedback.getEntryFirstRep().getResource();
    assertThat(composition.getType().getCodingFirstRep().getCode()).isEqualTo("11488-4");
    Composition.SectionComponent summary = composition.getSectionFirstRep();
    ServiceRequest focus = (ServiceRequest) entry(feedback, summary.getFocus());
    ServiceRequest referral =
        secondLook()
            .read()
            .resource(ServiceRequest.class)
            .withUrl(task.getFocus().getReference())
            .execute();
    assertThat(focus.getIdentifierFirstRep().getValue())
        .isEqualTo(referral.getIdentifierFirstRep().getValue());
    assertThat(referral.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);
    assertThat(summary.getText().getDivAsString())
        .contains("Modifies part of the plan")
        .contains("Partly agrees")
        .contains("Omit axillary radiotherapy");

    Review review = FeedbackDocument.review(feedback);
    assertThat(review.outcome().getCode()).isEqualTo("modifies-plan");
    assertThat(review.diagnosisAgreement().getCode()).isEqualTo("partly");
    assertThat(review.diagnosisAgreement().getDisplay()).isEqualTo("Partly agrees");
    assertThat(review.recommendedPlan()).startsWith("Omit axillary radiotherapy");
    assertThat(review.trials()).containsExactly("NCT04852887 (de-escalation of axillary RT)");
    assertThat(review.summary()).contains("Stage IIA");
    assertThat(review.reviewer().getValue()).isEqualTo(REVIEWER.getValue());
    assertThat(review.answers())
        .extracting(Review.Answer::linkId, Review.Answer::question)
        .containsExactly(
            tuple("diagnosis-clear", "Is the diagnosis clear?"),
            tuple("own-questions", "Can I keep working during treatment?"));

    assertThat(feedback.getSignature().getWho().getIdentifier().getValue())
        .isEqualTo(REVIEWER.getValue());
    assertThat(verifies(feedbackReference)).as("the feedback's signature verifies").isTrue();
    assertThatThrownBy(
            () -> secondLook().update().resource(feedback.setTimestamp(new Date())).execute())
        .isInstanceOfSatisfying(
            BaseServerResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(405));
    assertThat(refusal(() -> submitReview(completed, fullReview())))
        .as("a second review of the same referral")
        .contains("already completed");
  }

  @Test
  void aReferralWithoutQuestionsOrStartDateGetsAPacketSayingSoAndAReviewWithoutAnswers() {
    Task created =
        task(
            submit(
                secondLook(),
                Referrals.withoutQuestionsOrStartDate(
                    request(TestEhrs.SANDBOX, TestEhrs.REVIEW_NO_QUESTIONS_PATIENT))));
    Task pulled = awaitPullEnd(secondLook(), created.getIdPart(), PULL);

    assertThat(progress(pulled))
        .as(pulled.getBusinessStatus().getText())
        .isEqualTo("records-complete");
    Bundle packet =
        secondLook()
            .read()
            .resource(Bundle.class)
            .withUrl(ReferralTasks.output(pulled, "packet").orElseThrow())
            .execute();
    assertThat(sectionText(packet, "reason-and-questions"))
        .contains("No patient questions were given with this referral.");
    assertThat(sectionText(packet, "urgency")).contains("urgent", "not known", "priority alone");
    assertThat(sectionText(packet, "completeness"))
        .contains("Not available", "The patient's questions");
    assertThat(packet.getEntry())
        .extracting(e -> e.getResource().fhirType())
        .doesNotContain("QuestionnaireResponse");

    Task accepted = moveTo(pulled, TaskStatus.ACCEPTED);
    Parameters answering = fullReview();
    assertThat(refusal(() -> submitReview(accepted, answering)))
        .as("answers to questions the referral does not carry")
        .contains("linkId 'diagnosis-clear' is not one of the patient's questions")
        .contains("this referral carries none");
    Parameters withoutAnswers = fullReview();
    withoutAnswers.getParameter().removeIf(p -> p.getName().equals("answer"));

    Parameters result = submitReview(accepted, withoutAnswers);

    Task completed = (Task) result.getParameter("task").getResource();
    assertThat(completed.getStatus()).isEqualTo(TaskStatus.COMPLETED);
    Review review = FeedbackDocument.review((Bundle) result.getParameter("feedback").getResource());
    assertThat(review.outcome().getCode()).isEqualTo("modifies-plan");
    assertThat(review.answers()).isEmpty();
  }

  @Test
  void statusChangesOutsideTheWorkflowAreRefusedWithTheReason() {
    Task task = pulledReferral(TestEhrs.REVIEW_RULES_PATIENT);

    assertThat(refusal(() -> moveTo(task, TaskStatus.COMPLETED)))
        .contains("$submit-review")
        .contains("must be accepted first");
    assertThat(refusal(() -> moveTo(task, TaskStatus.INPROGRESS)))
        .contains("cannot go from 'requested' to 'in-progress'")
        .contains("received, accepted, rejected");
    assertThat(refusal(() -> submitReview(task, fullReview()))).contains("was never accepted");
    assertThat(refusal(() -> update(task.copy().setFocus(new Reference("ServiceRequest/other")))))
        .contains("focus");
    Task claimsDelivery = task.copy();
    ReferralTasks.setProgress(
        claimsDelivery, ReferralTasks.DELIVERED, "Delivered, says the client");
    assertThat(refusal(() -> update(claimsDelivery))).contains("set by SecondLook");
    assertThat(refusal(() -> moveTo(task, TaskStatus.REJECTED))).contains("statusReason");
    assertThat(refusal(() -> patchStatus(task, "completed")))
        .as("a JSON Patch is checked like a PUT")
        .contains("$submit-review");

    Task accepted = moveTo(task, TaskStatus.ACCEPTED);
    Parameters wrong = new Parameters();
    wrong.addParameter("outcome", new Coding(REVIEW_OUTCOME_SYSTEM, "looks-fine", null));
    wrong.addParameter("diagnosisAgreement", new CodeType("maybe"));
    wrong
        .addParameter()
        .setName("answer")
        .addPart()
        .setName("linkId")
        .setValue(new StringType("q9"));
    wrong.getParameter().get(2).addPart().setName("text").setValue(new StringType("Yes"));
    wrong.addParameter("colour", new StringType("blue"));
    assertThat(refusal(() -> submitReview(accepted, wrong)))
        .contains("outcome: 'https://secondlook.health/fhir/CodeSystem/review-outcome|looks-fine'")
        .contains("diagnosisAgreement: 'maybe' is not allowed")
        .contains("linkId 'q9' is not one of the patient's questions")
        .contains("reviewer: required")
        .contains("colour: unknown parameter");
    assertThat(read(accepted).getStatus()).isEqualTo(TaskStatus.ACCEPTED);

    Task rejectedTask = accepted.copy();
    rejectedTask.setStatus(TaskStatus.REJECTED);
    rejectedTask
        .getStatusReason()
        .setText("Outside our tumour board's remit: refer to sarcoma unit");
    Task rejected = update(rejectedTask);
    assertThat(rejected.getStatus()).isEqualTo(TaskStatus.REJECTED);
    assertThat(refusal(() -> moveTo(rejected, TaskStatus.ACCEPTED)))
        .contains("'rejected' is final");
  }

  @Test
  void aReferralCannotBeAcceptedBeforeItsPacketIsMade() {
    Task task = pulledReferral(TestEhrs.REVIEW_INCOMPLETE_PATIENT);
    assertThat(progress(task)).isEqualTo("records-incomplete");

    assertThat(refusal(() -> moveTo(task, TaskStatus.ACCEPTED)))
        .contains("its packet is not made (records: 'records-incomplete')");
    assertThat(moveTo(task, TaskStatus.RECEIVED).getStatus()).isEqualTo(TaskStatus.RECEIVED);
  }

  @Test
  void askingForMoreInformationEndsInANewSignedPacketWithTheAddedRecord() {
    Task task = pulledReferral(TestEhrs.REVIEW_INFORMATION_PATIENT);
    String firstPacket = ReferralTasks.output(task, "packet").orElseThrow();
    Task inProgress = moveTo(moveTo(task, TaskStatus.ACCEPTED), TaskStatus.INPROGRESS);

    Parameters ask = new Parameters();
    ask.addParameter("item", new Coding(PACKET_ITEM_SYSTEM, "imaging-report", null));
    ask.addParameter("note", new StringType("The restaging PET-CT report from last week"));
    Task awaiting =
        secondLook()
            .operation()
            .onInstance(inProgress.getIdElement().toUnqualifiedVersionless())
            .named("$request-information")
            .withParameters(ask)
            .returnResourceType(Task.class)
            .execute();

    assertThat(awaiting.getStatus()).isEqualTo(TaskStatus.INPROGRESS);
    assertThat(progress(awaiting)).isEqualTo(ReferralTasks.AWAITING_INFORMATION);
    assertThat(awaiting.getStatusReason().getText())
        .contains("Imaging report")
        .contains("restaging PET-CT");
    CommunicationRequest asked =
        secondLook()
            .read()
            .resource(CommunicationRequest.class)
            .withUrl(ReferralTasks.output(awaiting, "information-request").orElseThrow())
            .execute();
    assertThat(asked.getRecipientFirstRep().getIdentifier().getValue()).isEqualTo("1234567893");
    assertThat(asked.getPayload())
        .extracting(p -> p.getContentStringType().getValue())
        .containsExactly("Imaging report", "The restaging PET-CT report from last week");

    // The referring team files the report in their EHR and pulls again.
    TestEhrs.get().sandbox.data().store(restagingReport(TestEhrs.REVIEW_INFORMATION_PATIENT));
    secondLook()
        .operation()
        .onInstance(awaiting.getIdElement().toUnqualifiedVersionless())
        .named("$rerun-pull")
        .withNoParameters(Parameters.class)
        .execute();
    Task answered = awaitPullEnd(secondLook(), task.getIdPart(), PULL);

    assertThat(answered.getStatus()).as("the review goes on").isEqualTo(TaskStatus.INPROGRESS);
    String secondPacket = ReferralTasks.output(answered, "packet").orElseThrow();
    assertThat(secondPacket).isNotEqualTo(firstPacket);
    Bundle packet = secondLook().read().resource(Bundle.class).withUrl(secondPacket).execute();
    Bundle previous = secondLook().read().resource(Bundle.class).withUrl(firstPacket).execute();
    assertThat(
            packet.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(DiagnosticReport.class::isInstance)
                .map(r -> ((DiagnosticReport) r).getConclusion()))
        .contains(RESTAGING_CONCLUSION);
    Composition composition = (Composition) packet.getEntryFirstRep().getResource();
    assertThat(composition.getRelatesToFirstRep().getCode())
        .isEqualTo(Composition.DocumentRelationshipType.REPLACES);
    assertThat(composition.getRelatesToFirstRep().getTargetIdentifier().getValue())
        .isEqualTo(previous.getIdentifier().getValue());
    assertThat(verifies(secondPacket)).isTrue();
    assertThat(verifies(firstPacket)).as("the first packet is kept, unchanged").isTrue();
  }

  private static final String RESTAGING_CONCLUSION =
      "Restaging PET-CT: no FDG-avid nodal or distant disease.";

  private static DiagnosticReport restagingReport(String patient) {
    DiagnosticReport report = new DiagnosticReport();
    report.setId(patient + "-restaging-pet-ct");
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.addCategory(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology")));
    report.setCode(
        new CodeableConcept(new Coding("http://loinc.org", "18748-4", "Diagnostic imaging study")));
    report.setSubject(new Reference("Patient/" + patient));
    report.setEffective(new DateTimeType(new Date()));
    report.setIssued(new Date());
    report.setConclusion(RESTAGING_CONCLUSION);
    return report;
  }

  private Task pulledReferral(String patient) {
    Task created = task(submit(secondLook(), request(TestEhrs.SANDBOX, patient)));
    return awaitPullEnd(secondLook(), created.getIdPart(), PULL);
  }

  private static Parameters fullReview() {
    Parameters review = new Parameters();
    review.addParameter("outcome", new Coding(REVIEW_OUTCOME_SYSTEM, "modifies-plan", null));
    review.addParameter("diagnosisAgreement", new CodeType("partly"));
    review.addParameter(
        "recommendedPlan",
        new StringType("Omit axillary radiotherapy; keep adjuvant endocrine therapy for 5 years"));
    answer(review, "diagnosis-clear", "Yes: the biopsy and the MRI agree on a 2.1 cm tumour.");
    answer(review, "own-questions", "Most people keep working with some adjustments.");
    review.addParameter("trial", new StringType("NCT04852887 (de-escalation of axillary RT)"));
    review.addParameter(
        "summary", new StringType("Stage IIA confirmed; nodal status pN0(sn) changes the plan."));
    review.addParameter("reviewer", REVIEWER);
    return review;
  }

  private static void answer(Parameters review, String linkId, String text) {
    Parameters.ParametersParameterComponent answer = review.addParameter().setName("answer");
    answer.addPart().setName("linkId").setValue(new StringType(linkId));
    answer.addPart().setName("text").setValue(new StringType(text));
  }

  private Parameters submitReview(Task task, Parameters review) {
    return secondLook()
        .operation()
        .onInstance(task.getIdElement().toUnqualifiedVersionless())
        .named("$submit-review")
        .withParameters(review)
        .execute();
  }

  private Task moveTo(Task task, TaskStatus status) {
    Task changed = read(task);
    changed.setStatus(status);
    return update(changed);
  }

  private Task update(Task task) {
    MethodOutcome outcome = secondLook().update().resource(task).execute();
    return read((Task) outcome.getResource());
  }

  private void patchStatus(Task task, String status) {
    String patch = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"" + status + "\"}]";
    secondLook()
        .patch()
        .withBody(patch)
        .withId(task.getIdElement().toUnqualifiedVersionless())
        .execute();
  }

  private Task read(Task task) {
    return secondLook().read().resource(Task.class).withId(task.getIdPart()).execute();
  }

  private boolean verifies(String bundleReference) {
    Parameters verification =
        secondLook()
            .operation()
            .onInstance(bundleReference)
            .named("$verify-signature")
            .withNoParameters(Parameters.class)
            .useHttpGet()
            .execute();
    return ((BooleanType) verification.getParameterValue("valid")).booleanValue();
  }

  /** The diagnostics of the 4xx OperationOutcome {@code call} is refused with. */
  private static String refusal(Runnable call) {
    try {
      call.run();
    } catch (BaseServerResponseException e) {
      assertThat(e.getStatusCode()).as(e.getMessage()).isBetween(400, 499);
      OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
      return String.join(
          " | ",
          outcome.getIssue().stream()
              .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
              .toList());
    }
    throw new AssertionError("expected a refusal");
  }

  private static String sectionText(Bundle packet, String code) {
    Composition composition = (Composition) packet.getEntryFirstRep().getResource();
    return composition.getSection().stream()
        .filter(s -> s.getCode().getCoding().stream().anyMatch(c -> code.equals(c.getCode())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No section " + code))
        .getText()
        .getDivAsString();
  }

  private static Resource entry(Bundle bundle, Reference reference) {
    return bundle.getEntry().stream()
        .filter(e -> e.getFullUrl().equals(reference.getReference()))
        .findFirst()
        .orElseThrow()
        .getResource();
  }
}
