package health.secondlook.server.referral;

import health.secondlook.server.fhir.TransactionEntries;
import java.util.Date;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Builds the resources of a new referral, following BSeR's referral ServiceRequest and Task: the
 * ServiceRequest says what is asked (a second opinion, why, how urgently, by when) and points at
 * the patient's questions; the Task ({@code code=fulfill}, {@code focus} the ServiceRequest, {@code
 * owner} the recipient) carries the workflow, the due date ({@code restriction.period.end}) and the
 * pull's progress. Without questions there is no QuestionnaireResponse; without a treatment start
 * date neither has a due date, and the priority alone says how urgent the referral is. Both are
 * created conditionally on the request identifier, so a replay cannot make a second referral.
 */
@Component
class ReferralFactory {

  private static final String TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code";
  private static final String IDENTIFIER_TYPE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/v2-0203";

  private final RecipientDirectory recipients;
  private final SourcePatientLookup patients;

  ReferralFactory(RecipientDirectory recipients, SourcePatientLookup patients) {
    this.recipients = recipients;
    this.patients = patients;
  }

  Bundle transaction(
      SecondOpinionRequest request, Identifier identifier, SourcePatientLookup.Found patient) {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Reference subject = new Reference("Patient/" + patient.localId());
    if (patient.current().isPresent()) {
      TransactionEntries.put(transaction, patient.current().get());
    } else if (!patients.existsLocally(patient.localId())) {
      // Never overwrite a copy pulled earlier with the bare placeholder.
      TransactionEntries.put(transaction, placeholder(request, patient.localId()));
    }

    Optional<String> questionsUrl =
        request
            .questions()
            .map(q -> TransactionEntries.post(transaction, questions(q, subject), null));

    ServiceRequest serviceRequest = serviceRequest(request, identifier, subject, questionsUrl);
    String serviceRequestUrl =
        TransactionEntries.post(transaction, serviceRequest, "identifier=" + token(identifier));

    Task task = task(request, identifier, subject, serviceRequestUrl);
    TransactionEntries.post(transaction, task, "identifier=" + token(identifier));
    return transaction;
  }

  private static QuestionnaireResponse questions(QuestionnaireResponse given, Reference subject) {
    QuestionnaireResponse questions = given.copy();
    questions.setId((String) null);
    questions.setSubject(subject);
    questions.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
    return questions;
  }

  private ServiceRequest serviceRequest(
      SecondOpinionRequest request,
      Identifier identifier,
      Reference subject,
      Optional<String> questions) {
    ServiceRequest serviceRequest = new ServiceRequest();
    serviceRequest.addIdentifier(placerIdentifier(identifier));
    serviceRequest.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
    serviceRequest.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    serviceRequest.setCode(new CodeableConcept().setText("Cancer second opinion"));
    serviceRequest.setPriority(request.priority());
    serviceRequest.setSubject(subject);
    serviceRequest.setAuthoredOn(new Date());
    serviceRequest.setRequester(new Reference().setIdentifier(request.requester()));
    serviceRequest.addReasonCode().setText(request.reason());
    questions.ifPresent(
        q -> serviceRequest.addSupportingInfo(new Reference(q).setDisplay("Patient's questions")));
    dueBy(request).ifPresent(serviceRequest::setOccurrence);
    request.recipient().ifPresent(r -> serviceRequest.addPerformer(recipient(r)));
    return serviceRequest;
  }

  private Task task(
      SecondOpinionRequest request, Identifier identifier, Reference subject, String focus) {
    Task task = new Task();
    task.addIdentifier(identifier.copy());
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setPriority(Task.TaskPriority.fromCode(request.priority().toCode()));
    task.setCode(
        new CodeableConcept(new Coding(TASK_CODE_SYSTEM, "fulfill", "Fulfill the focal request")));
    task.setFocus(new Reference(focus));
    task.setFor(subject);
    task.setAuthoredOn(new Date());
    task.setLastModified(new Date());
    task.setRequester(new Reference().setIdentifier(request.requester()));
    request.recipient().ifPresent(r -> task.setOwner(recipient(r)));
    // The date treatment must start by is when the opinion is due.
    dueBy(request).ifPresent(due -> task.getRestriction().setPeriod(due));
    ReferralTasks.addInput(task, ReferralTasks.SOURCE_EHR_INPUT, request.source());
    ReferralTasks.addInput(task, ReferralTasks.SOURCE_PATIENT_INPUT, request.patientId());
    ReferralTasks.setProgress(
        task, ReferralTasks.PULL_QUEUED, "Waiting to pull records from " + request.source());
    return task;
  }

  private Reference recipient(String name) {
    return new Reference()
        .setIdentifier(new Identifier().setSystem(ReferralTasks.RECIPIENT_SYSTEM).setValue(name))
        .setDisplay(recipients.find(name).orElseThrow().display());
  }

  private static Patient placeholder(SecondOpinionRequest request, String localId) {
    // Until the pull fetches the real record, the patient is known only by the EHR's id.
    Patient patient = new Patient();
    patient.setId(localId);
    patient
        .addIdentifier()
        .setSystem("https://secondlook.health/fhir/ehr/" + request.source() + "/Patient")
        .setValue(request.patientId());
    return patient;
  }

  private static Identifier placerIdentifier(Identifier identifier) {
    Identifier placer = identifier.copy();
    placer.getType().addCoding(new Coding(IDENTIFIER_TYPE_SYSTEM, "PLAC", "Placer Identifier"));
    return placer;
  }

  private static Optional<Period> dueBy(SecondOpinionRequest request) {
    return request
        .treatmentStartBy()
        .map(day -> new Period().setEndElement(new DateTimeType(day.toString())));
  }

  private static String token(Identifier identifier) {
    return identifier.getSystem() + "|" + identifier.getValue();
  }
}
