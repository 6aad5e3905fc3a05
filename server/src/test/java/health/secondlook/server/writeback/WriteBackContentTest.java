package health.secondlook.server.writeback;

import static health.secondlook.terminology.TerminologyContent.DIAGNOSIS_AGREEMENT_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.REVIEW_OUTCOME_SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

import health.secondlook.mappings.MappingProfiles;
import health.secondlook.mappings.WriteBack;
import health.secondlook.server.review.FeedbackDocument;
import health.secondlook.server.review.Review;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * What a mapping's {@code writeBack} section makes of a review, without an EHR: the codes it names
 * are the ones written, a site's own outcome code travels beside SecondLook's, a Communication
 * carries what a DiagnosticReport would, and a mapping that leaves the Task alone writes none.
 */
class WriteBackContentTest {

  private static final WriteBack DEFAULT =
      MappingProfiles.load(MappingProfiles.DEFAULT).writeBack();

  @Test
  void theDefaultMappingWritesConsultNoteReportAndTaskInThatOrder() {
    WritePlan plan = WriteBackContent.plan(review(), DEFAULT);

    assertThat(plan.entries())
        .extracting(e -> e.resource().fhirType())
        .containsExactly("DocumentReference", "DiagnosticReport", "Task");
    DocumentReference document = (DocumentReference) plan.entries().get(0).resource();
    assertThat(document.getType().getCodingFirstRep().getCode()).isEqualTo("11488-4");
    assertThat(document.getCategoryFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("clinical-note");
    assertThat(
            new String(
                document.getContentFirstRep().getAttachment().getData(), StandardCharsets.UTF_8))
        .isEqualTo(review().feedbackJson());
    assertThat(plan.entries().get(0).conditionalCreate())
        .isEqualTo("identifier=https://secondlook.health/fhir/feedback|review-1");
    DiagnosticReport report = (DiagnosticReport) plan.entries().get(1).resource();
    assertThat(report.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("OTH");
    assertThat(
            ((Reference) report.getExtensionByUrl(WriteBackContent.SUPPORTING_INFO).getValue())
                .getReference())
        .isEqualTo(plan.entries().get(0).fullUrl());
    assertThat(plan.entries().get(2).conditionalUpdate())
        .isEqualTo("identifier=https://referrer.example.org/requests|r-1");
  }

  @Test
  void aSitesOwnOutcomeCodeIsWrittenBesideSecondLooksAndACommunicationCarriesTheSummary() {
    WriteBack mapping =
        new WriteBack(
            WriteBack.Requests.TRANSACTION,
            "urn:oid:1.2.3.4.5",
            DEFAULT.document(),
            new WriteBack.Summary(
                "Communication",
                null,
                List.of(),
                Map.of(
                    "modifies-plan",
                    new WriteBack.Code("urn:oid:1.2.3", "SO-MOD", "Second opinion modifies plan"))),
            new WriteBack.Task(false, null),
            null);

    WritePlan plan = WriteBackContent.plan(review(), mapping);

    assertThat(plan.entries())
        .extracting(e -> e.resource().fhirType())
        .containsExactly("DocumentReference", "Communication");
    Communication message = (Communication) plan.entries().get(1).resource();
    assertThat(message.getIdentifierFirstRep().getSystem()).isEqualTo("urn:oid:1.2.3.4.5");
    assertThat(message.getReasonCodeFirstRep().getCoding())
        .extracting(Coding::getCode)
        .containsExactly("modifies-plan", "SO-MOD");
    assertThat(message.getPayload().get(0).getContent().primitiveValue())
        .contains("Modifies part of the plan", "Partly agrees", "Radiotherapy", "NCT0001");
    assertThat(((Reference) message.getPayload().get(1).getContent()).getReference())
        .isEqualTo(plan.entries().get(0).fullUrl());
    assertThat(message.getSubject().getReference()).isEqualTo("Patient/ehr-patient-7");
  }

  private static ReviewToWrite review() {
    Review review =
        new Review(
            new Coding(REVIEW_OUTCOME_SYSTEM, "modifies-plan", "Modifies part of the plan"),
            new Coding(DIAGNOSIS_AGREEMENT_SYSTEM, "partly", "Partly agrees"),
            "Radiotherapy after surgery.",
            List.of(),
            List.of("NCT0001"),
            "",
            new Identifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1"));
    ServiceRequest serviceRequest = new ServiceRequest();
    serviceRequest
        .addIdentifier()
        .setSystem("https://referrer.example.org/requests")
        .setValue("r-1");
    serviceRequest.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
    serviceRequest.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    Patient patient = new Patient().addName(new HumanName().setFamily("Test"));
    Bundle feedback = FeedbackDocument.assemble(review, serviceRequest, patient, new Date());
    feedback.getIdentifier().setValue("review-1");
    Task task = new Task();
    task.addIdentifier().setSystem("https://referrer.example.org/requests").setValue("r-1");
    return new ReviewToWrite(
        task, serviceRequest, feedback, "{\"resourceType\":\"Bundle\"}", review, "ehr-patient-7");
  }
}
