package health.secondlook.server.review;

import static health.secondlook.terminology.TerminologyContent.PACKET_SECTION_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.PATIENT_QUESTIONNAIRE;
import static health.secondlook.terminology.TerminologyContent.REVIEW_ELEMENT_SYSTEM;

import health.secondlook.server.fhir.Xhtml;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;

/**
 * The specialist's review as a BSeR feedback document: a document Bundle whose Composition (LOINC
 * 11488-4, consult note) has a summary section focused on the referral's ServiceRequest, and, when
 * the specialist answered the patient's questions, a section of answers. The structured review is
 * one Observation (code {@code review-element#outcome}) so a receiving system, and write-back, can
 * read it back without parsing narrative ({@link #review}).
 */
public final class FeedbackDocument {

  /** System of {@code Bundle.identifier}: one value per submitted review, never reused. */
  public static final String IDENTIFIER_SYSTEM = "https://secondlook.health/fhir/feedback";

  public static final String CONSULT_NOTE = "11488-4";
  static final String LOINC = "http://loinc.org";

  private FeedbackDocument() {}

  /** The unsigned feedback document for {@code review} of the referral {@code serviceRequest}. */
  public static Bundle assemble(
      Review review, ServiceRequest serviceRequest, Patient patient, Date submitted) {
    Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
    document.setIdentifier(
        new Identifier().setSystem(IDENTIFIER_SYSTEM).setValue(UUID.randomUUID().toString()));
    document.setTimestamp(submitted);

    String patientUrl = fullUrl();
    String requestUrl = fullUrl();
    String reviewerUrl = fullUrl();
    String observationUrl = fullUrl();

    Observation outcome = outcome(review, submitted, patientUrl, requestUrl, reviewerUrl);
    Composition composition = new Composition();
    composition.setIdentifier(document.getIdentifier().copy());
    composition.setStatus(Composition.CompositionStatus.FINAL);
    composition.setType(
        new CodeableConcept(new Coding(LOINC, CONSULT_NOTE, "Consult note"))
            .setText("Consult note"));
    composition.setSubject(new Reference(patientUrl));
    composition.setDate(submitted);
    composition.addAuthor(new Reference(reviewerUrl).setIdentifier(review.reviewer().copy()));
    composition.setTitle("Second opinion: " + review.outcome().getDisplay());
    composition
        .addSection()
        .setTitle("Second-opinion summary")
        .setCode(section("review-summary", "Second-opinion summary"))
        .setFocus(new Reference(requestUrl))
        .setText(summaryNarrative(review))
        .addEntry(new Reference(observationUrl));
    if (!review.answers().isEmpty()) {
      Xhtml answers = new Xhtml();
      review.answers().forEach(a -> answers.labelled(a.question(), a.text()));
      composition
          .addSection()
          .setTitle("Answers to the patient's questions")
          .setCode(section("review-answers", "Answers to the patient's questions"))
          .setText(answers.toNarrative())
          .addEntry(new Reference(observationUrl));
    }

    document.addEntry().setFullUrl(fullUrl()).setResource(composition);
    document.addEntry().setFullUrl(observationUrl).setResource(outcome);
    document.addEntry().setFullUrl(requestUrl).setResource(request(serviceRequest, patientUrl));
    document.addEntry().setFullUrl(patientUrl).setResource(patient(patient));
    Practitioner reviewer = new Practitioner();
    reviewer.addIdentifier(review.reviewer().copy());
    document.addEntry().setFullUrl(reviewerUrl).setResource(reviewer);
    return document;
  }

  /** The review a feedback document carries. */
  public static Review review(Bundle feedback) {
    Observation outcome =
        feedback.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(Observation.class::isInstance)
            .map(Observation.class::cast)
            .filter(o -> has(o.getCode(), "outcome"))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("not a feedback document: no review outcome"));
    Coding agreement = null;
    String plan = "";
    List<Review.Answer> answers = new ArrayList<>();
    List<String> trials = new ArrayList<>();
    for (Observation.ObservationComponentComponent c : outcome.getComponent()) {
      if (has(c.getCode(), "diagnosis-agreement")) {
        agreement = c.getValueCodeableConcept().getCodingFirstRep();
      } else if (has(c.getCode(), "recommended-plan")) {
        plan = c.getValue().primitiveValue();
      } else if (has(c.getCode(), "clinical-trial")) {
        trials.add(c.getValue().primitiveValue());
      } else if (has(c.getCode(), "question-answer")) {
        Coding question =
            c.getCode().getCoding().stream()
                .filter(q -> PATIENT_QUESTIONNAIRE.equals(q.getSystem()))
                .findFirst()
                .orElseThrow();
        answers.add(
            new Review.Answer(
                question.getCode(), question.getDisplay(), c.getValue().primitiveValue()));
      }
    }
    Identifier reviewer =
        feedback.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(Practitioner.class::isInstance)
            .map(r -> ((Practitioner) r).getIdentifierFirstRep())
            .findFirst()
            .orElse(new Identifier());
    return new Review(
        outcome.getValueCodeableConcept().getCodingFirstRep(),
        agreement,
        plan,
        answers,
        trials,
        outcome.hasNote() ? outcome.getNoteFirstRep().getText() : "",
        reviewer);
  }

  private static Observation outcome(
      Review review, Date submitted, String patient, String request, String reviewer) {
    Observation outcome = new Observation();
    outcome.setStatus(Observation.ObservationStatus.FINAL);
    outcome.setCode(element("outcome", "Second-opinion outcome"));
    outcome.setSubject(new Reference(patient));
    outcome.addBasedOn(new Reference(request));
    outcome.setEffective(new DateTimeType(submitted));
    outcome.setIssuedElement(new InstantType(submitted));
    outcome.addPerformer(new Reference(reviewer));
    outcome.setValue(
        new CodeableConcept(review.outcome().copy()).setText(review.outcome().getDisplay()));
    outcome
        .addComponent()
        .setCode(element("diagnosis-agreement", "Agreement with the diagnosis"))
        .setValue(new CodeableConcept(review.diagnosisAgreement().copy()));
    if (!review.recommendedPlan().isBlank()) {
      outcome
          .addComponent()
          .setCode(element("recommended-plan", "Recommended plan"))
          .setValue(new StringType(review.recommendedPlan()));
    }
    review
        .trials()
        .forEach(
            trial ->
                outcome
                    .addComponent()
                    .setCode(element("clinical-trial", "Suggested clinical trial"))
                    .setValue(new StringType(trial)));
    review
        .answers()
        .forEach(
            answer ->
                outcome
                    .addComponent()
                    .setCode(
                        element("question-answer", "Answer to a patient's question")
                            .addCoding(
                                new Coding(
                                    PATIENT_QUESTIONNAIRE, answer.linkId(), answer.question())))
                    .setValue(new StringType(answer.text())));
    if (!review.summary().isBlank()) {
      outcome.addNote().setText(review.summary());
    }
    return outcome;
  }

  private static Narrative summaryNarrative(Review review) {
    Xhtml text =
        new Xhtml()
            .labelled("Outcome:", review.outcome().getDisplay())
            .labelled("Diagnosis and stage:", review.diagnosisAgreement().getDisplay() + ".");
    if (!review.recommendedPlan().isBlank()) {
      text.labelled("Recommended plan:", review.recommendedPlan());
    }
    if (!review.trials().isEmpty()) {
      text.heading("Suggested clinical trials:").list(review.trials());
    }
    if (!review.summary().isBlank()) {
      text.labelled("Notes:", review.summary());
    }
    return text.toNarrative();
  }

  /** The parts of the referral a reader of the feedback needs, with references inside it. */
  private static ServiceRequest request(ServiceRequest stored, String patientUrl) {
    ServiceRequest request = new ServiceRequest();
    stored.getIdentifier().forEach(i -> request.addIdentifier(i.copy()));
    request.setStatus(stored.getStatus());
    request.setIntent(stored.getIntent());
    request.setCode(stored.getCode().copy());
    request.setPriority(stored.getPriority());
    request.setSubject(new Reference(patientUrl));
    request.setAuthoredOnElement(stored.getAuthoredOnElement().copy());
    request.setRequester(stored.getRequester().copy());
    stored.getReasonCode().forEach(r -> request.addReasonCode(r.copy()));
    request.setOccurrence(stored.getOccurrence() == null ? null : stored.getOccurrence().copy());
    stored.getPerformer().forEach(p -> request.addPerformer(p.copy()));
    return request;
  }

  /** Who the patient is, without the EHR's references the document could not resolve. */
  private static Patient patient(Patient stored) {
    Patient patient = new Patient();
    stored.getIdentifier().forEach(i -> patient.addIdentifier(i.copy()));
    stored.getName().forEach(n -> patient.addName(n.copy()));
    patient.setGender(stored.getGender());
    patient.setBirthDateElement(stored.getBirthDateElement().copy());
    return patient;
  }

  private static CodeableConcept element(String code, String display) {
    return new CodeableConcept(new Coding(REVIEW_ELEMENT_SYSTEM, code, display)).setText(display);
  }

  private static CodeableConcept section(String code, String display) {
    return new CodeableConcept(new Coding(PACKET_SECTION_SYSTEM, code, display));
  }

  private static boolean has(CodeableConcept concept, String elementCode) {
    return concept.getCoding().stream()
        .anyMatch(
            c -> REVIEW_ELEMENT_SYSTEM.equals(c.getSystem()) && elementCode.equals(c.getCode()));
  }

  private static String fullUrl() {
    return "urn:uuid:" + UUID.randomUUID();
  }
}
