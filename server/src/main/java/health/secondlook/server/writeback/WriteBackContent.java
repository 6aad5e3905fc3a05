package health.secondlook.server.writeback;

import health.secondlook.mappings.WriteBack;
import health.secondlook.server.fhir.Xhtml;
import health.secondlook.server.review.Review;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * Turns one review into the resources the referring EHR receives, as its mapping's {@code
 * writeBack} section says: a DocumentReference carrying the signed feedback document byte for byte
 * (with its SHA-1 and size), a summary (DiagnosticReport or Communication) stating the outcome,
 * agreement, plan, trials, answers and notes in coded and readable form and linking to the
 * document, and the EHR's copy of the referral Task, completed, carrying the outcome and linking to
 * both. Everything refers to the patient by the EHR's own id, and to the referral by its
 * identifiers, since the EHR may hold neither SecondLook's ServiceRequest nor its ids.
 */
final class WriteBackContent {

  /**
   * R4 core extension for what a DiagnosticReport was made from; DiagnosticReport is in context.
   */
  static final String SUPPORTING_INFO =
      "http://hl7.org/fhir/StructureDefinition/workflow-supportingInfo";

  static final String DOCUMENT_ROLE = "the signed feedback document";
  static final String SUMMARY_ROLE = "summary";
  static final String TASK_ROLE = "referral Task";

  private WriteBackContent() {}

  static WritePlan plan(ReviewToWrite review, WriteBack mapping) {
    String documentUrl = fullUrl();
    String summaryUrl = fullUrl();
    Identifier writeIdentifier =
        new Identifier().setSystem(mapping.identifierSystem()).setValue(review.reviewId());
    String ifNoneExist = "identifier=" + token(writeIdentifier);

    List<WritePlan.Entry> entries = new ArrayList<>();
    entries.add(
        new WritePlan.Entry(
            documentUrl,
            DOCUMENT_ROLE,
            document(review, mapping, writeIdentifier),
            ifNoneExist,
            null));
    Resource summary =
        mapping.summary().resourceType().equals("Communication")
            ? communication(review, mapping, writeIdentifier, documentUrl)
            : diagnosticReport(review, mapping, writeIdentifier, documentUrl);
    entries.add(new WritePlan.Entry(summaryUrl, SUMMARY_ROLE, summary, ifNoneExist, null));
    if (mapping.task().update()) {
      entries.add(
          new WritePlan.Entry(
              fullUrl(),
              TASK_ROLE,
              task(review, mapping, documentUrl, summaryUrl, summary.fhirType()),
              null,
              mapping.task().query(token(review.referralIdentifier()), review.patientId())));
    }
    return new WritePlan(entries);
  }

  private static DocumentReference document(
      ReviewToWrite review, WriteBack mapping, Identifier writeIdentifier) {
    byte[] json = review.feedbackBytes();
    DocumentReference document = new DocumentReference();
    document.setMasterIdentifier(review.feedback().getIdentifier().copy());
    document.addIdentifier(writeIdentifier.copy());
    document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
    document.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
    document.setType(concept(mapping.document().type(), "Second-opinion consult note"));
    mapping
        .document()
        .category()
        .forEach(c -> document.addCategory(new CodeableConcept(c.toCoding())));
    document.setSubject(patient(review));
    document.setDate(submitted(review));
    document.addAuthor(reviewer(review.review()));
    document.setDescription("Second opinion: " + review.review().outcome().getDisplay());
    document
        .addContent()
        .setAttachment(
            new Attachment()
                .setContentType("application/fhir+json")
                .setData(json)
                .setSize(json.length)
                .setHash(sha1(json))
                .setTitle("Signed second-opinion feedback document (FHIR document Bundle)")
                .setCreation(submitted(review)));
    document.getContext().addRelated(referral(review)).addRelated(referralTask(review));
    return document;
  }

  private static DiagnosticReport diagnosticReport(
      ReviewToWrite review, WriteBack mapping, Identifier writeIdentifier, String documentUrl) {
    Review r = review.review();
    DiagnosticReport report = new DiagnosticReport();
    report.addIdentifier(writeIdentifier.copy());
    report.addBasedOn(referral(review));
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    mapping
        .summary()
        .category()
        .forEach(c -> report.addCategory(new CodeableConcept(c.toCoding())));
    report.setCode(concept(mapping.summary().code(), "Second opinion"));
    report.setSubject(patient(review));
    report.setEffective(new DateTimeType(submitted(review)));
    report.setIssued(submitted(review));
    report.addPerformer(reviewer(r));
    report.setConclusion(conclusion(r));
    report.addConclusionCode(outcome(r, mapping));
    report.addConclusionCode(
        new CodeableConcept(r.diagnosisAgreement().copy())
            .setText("Diagnosis and stage: " + r.diagnosisAgreement().getDisplay()));
    report.setText(narrative(r));
    report.addExtension(SUPPORTING_INFO, documentReference(documentUrl));
    return report;
  }

  private static Communication communication(
      ReviewToWrite review, WriteBack mapping, Identifier writeIdentifier, String documentUrl) {
    Review r = review.review();
    Communication message = new Communication();
    message.addIdentifier(writeIdentifier.copy());
    message.addBasedOn(referral(review));
    message.addAbout(referralTask(review));
    message.setStatus(Communication.CommunicationStatus.COMPLETED);
    mapping
        .summary()
        .category()
        .forEach(c -> message.addCategory(new CodeableConcept(c.toCoding())));
    if (mapping.summary().code() != null) {
      message.setTopic(concept(mapping.summary().code(), "Second opinion"));
    }
    message.setSubject(patient(review));
    message.setSent(submitted(review));
    message.setSender(reviewer(r));
    if (review.referral().hasRequester()) {
      message.addRecipient(review.referral().getRequester().copy());
    }
    // A Communication has no coded result: the outcome's codes travel as its reason.
    message.addReasonCode(outcome(r, mapping));
    message.addPayload().setContent(new StringType(conclusion(r)));
    message.addPayload().setContent(documentReference(documentUrl));
    message.setText(narrative(r));
    return message;
  }

  private static Task task(
      ReviewToWrite review,
      WriteBack mapping,
      String documentUrl,
      String summaryUrl,
      String summaryType) {
    Task local = review.referral();
    Review r = review.review();
    Task task = new Task();
    local.getIdentifier().forEach(i -> task.addIdentifier(i.copy()));
    task.addBasedOn(referral(review));
    task.setFocus(referral(review));
    task.setStatus(Task.TaskStatus.COMPLETED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setPriority(local.getPriority());
    task.setCode(local.getCode().copy());
    task.setFor(patient(review));
    task.setAuthoredOnElement(local.getAuthoredOnElement().copy());
    task.setLastModified(submitted(review));
    if (local.hasRequester()) {
      task.setRequester(local.getRequester().copy());
    }
    if (local.hasOwner()) {
      task.setOwner(local.getOwner().copy());
    }
    if (local.hasRestriction()) {
      task.setRestriction(local.getRestriction().copy());
    }
    CodeableConcept outcome = outcome(r, mapping);
    outcome.setText("Second opinion: " + r.outcome().getDisplay());
    task.setBusinessStatus(outcome);
    task.addOutput()
        .setType(concept(mapping.document().type(), "Second-opinion consult note"))
        .setValue(documentReference(documentUrl));
    task.addOutput()
        .setType(
            mapping.summary().code() != null
                ? concept(mapping.summary().code(), "Second-opinion summary")
                : new CodeableConcept().setText("Second-opinion summary"))
        .setValue(
            new Reference(summaryUrl).setType(summaryType).setDisplay("Second-opinion summary"));
    return task;
  }

  /** The outcome as SecondLook codes it, with the EHR's own code beside it when mapped. */
  private static CodeableConcept outcome(Review review, WriteBack mapping) {
    CodeableConcept outcome = new CodeableConcept(review.outcome().copy());
    WriteBack.Code own = mapping.summary().outcomeCodes().get(review.outcome().getCode());
    if (own != null) {
      outcome.addCoding(own.toCoding());
    }
    return outcome.setText(review.outcome().getDisplay());
  }

  /** The review as plain text, for the EHR's conclusion and message fields. */
  static String conclusion(Review review) {
    StringBuilder text = new StringBuilder();
    text.append("Second opinion: ").append(review.outcome().getDisplay()).append(".\n");
    text.append("Diagnosis and stage: ")
        .append(review.diagnosisAgreement().getDisplay())
        .append(".\n");
    if (!review.recommendedPlan().isBlank()) {
      text.append("Recommended plan: ").append(review.recommendedPlan()).append('\n');
    }
    if (!review.trials().isEmpty()) {
      text.append("Suggested clinical trials: ")
          .append(String.join("; ", review.trials()))
          .append('\n');
    }
    for (Review.Answer answer : review.answers()) {
      text.append("Patient's question \"")
          .append(answer.question())
          .append("\": ")
          .append(answer.text())
          .append('\n');
    }
    if (!review.summary().isBlank()) {
      text.append("Notes: ").append(review.summary()).append('\n');
    }
    if (review.reviewer().hasValue()) {
      text.append("Reviewed by: ").append(token(review.reviewer())).append('\n');
    }
    return text.toString().trim();
  }

  private static Narrative narrative(Review review) {
    Xhtml text =
        new Xhtml()
            .labelled("Second opinion:", review.outcome().getDisplay())
            .labelled("Diagnosis and stage:", review.diagnosisAgreement().getDisplay() + ".");
    if (!review.recommendedPlan().isBlank()) {
      text.labelled("Recommended plan:", review.recommendedPlan());
    }
    if (!review.trials().isEmpty()) {
      text.heading("Suggested clinical trials:").list(review.trials());
    }
    if (!review.answers().isEmpty()) {
      text.heading("Answers to the patient's questions:");
      review.answers().forEach(a -> text.labelled(a.question(), a.text()));
    }
    if (!review.summary().isBlank()) {
      text.labelled("Notes:", review.summary());
    }
    text.paragraph("The signed feedback document is filed with this report as a consult note.");
    return text.toNarrative();
  }

  private static Reference patient(ReviewToWrite review) {
    return new Reference("Patient/" + review.patientId());
  }

  private static Reference reviewer(Review review) {
    return new Reference()
        .setType("Practitioner")
        .setIdentifier(review.reviewer().copy())
        .setDisplay("Second-opinion specialist");
  }

  private static Reference referral(ReviewToWrite review) {
    return new Reference()
        .setType("ServiceRequest")
        .setIdentifier(review.serviceRequest().getIdentifierFirstRep().copy())
        .setDisplay("Second-opinion referral");
  }

  private static Reference referralTask(ReviewToWrite review) {
    return new Reference()
        .setType("Task")
        .setIdentifier(review.referralIdentifier().copy())
        .setDisplay("Second-opinion referral Task");
  }

  private static Reference documentReference(String documentUrl) {
    return new Reference(documentUrl)
        .setType("DocumentReference")
        .setDisplay("Signed second-opinion feedback document");
  }

  private static CodeableConcept concept(WriteBack.Code code, String text) {
    return new CodeableConcept(code.toCoding()).setText(text);
  }

  private static Date submitted(ReviewToWrite review) {
    return review.feedback().getTimestamp();
  }

  static String token(Identifier identifier) {
    return (identifier.hasSystem() ? identifier.getSystem() + "|" : "") + identifier.getValue();
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
    }
  }

  private static String fullUrl() {
    return "urn:uuid:" + UUID.randomUUID();
  }
}
