package health.secondlook.server.writeback;

import health.secondlook.mappings.WriteBack;
import health.secondlook.server.fhir.Xhtml;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Turns a specialist's request for more information, as SecondLook stores it, into what the
 * referring EHR receives, as its mapping's {@code writeBack.informationRequest} says: a
 * CommunicationRequest (the referrer is asked to act) or a Communication (a message to them). It
 * carries the request's own identifier, so the conditional create on it makes one copy however
 * often it is sent; the named items and the note as payload and narrative; the patient as the EHR
 * knows them; and the referral (ServiceRequest and Task) by its identifier, since the EHR may hold
 * neither SecondLook's resources nor its ids.
 */
final class InformationRequestContent {

  static final String CATEGORY_TEXT = "Request for more information for a second opinion";

  private InformationRequestContent() {}

  /** SecondLook's referral Task the request is about ({@code Task/{id}}), if it names one. */
  static Optional<String> referralTask(CommunicationRequest asked) {
    return asked.getAbout().stream()
        .map(Reference::getReference)
        .filter(r -> r != null && "Task".equals(new IdType(r).getResourceType()))
        .findFirst();
  }

  /** {@code identifier=system|value} of the request, for the conditional create. */
  static String condition(CommunicationRequest asked) {
    return "identifier=" + WriteBackContent.token(asked.getIdentifierFirstRep());
  }

  static Resource build(
      CommunicationRequest asked,
      Task referral,
      ServiceRequest serviceRequest,
      String patientId,
      WriteBack.InformationRequest mapping) {
    return mapping.resourceType().equals("Communication")
        ? communication(asked, referral, serviceRequest, patientId, mapping)
        : communicationRequest(asked, referral, serviceRequest, patientId, mapping);
  }

  private static CommunicationRequest communicationRequest(
      CommunicationRequest asked,
      Task referral,
      ServiceRequest serviceRequest,
      String patientId,
      WriteBack.InformationRequest mapping) {
    CommunicationRequest request = new CommunicationRequest();
    asked.getIdentifier().forEach(i -> request.addIdentifier(i.copy()));
    request.setStatus(CommunicationRequest.CommunicationRequestStatus.ACTIVE);
    request.addCategory(category(mapping));
    if (asked.hasPriority()) {
      request.setPriority(asked.getPriority());
    }
    request.setSubject(patient(patientId));
    request.addAbout(referralTask(referral));
    request.addAbout(referral(serviceRequest));
    request.addBasedOn(referral(serviceRequest));
    request.setAuthoredOnElement(asked.getAuthoredOnElement().copy());
    if (asked.hasRequester()) {
      request.setRequester(asked.getRequester().copy());
    }
    if (asked.hasSender()) {
      request.setSender(asked.getSender().copy());
    }
    asked.getRecipient().forEach(r -> request.addRecipient(r.copy()));
    asked.getPayload().forEach(p -> request.addPayload(p.copy()));
    request.setText(narrative(asked));
    return request;
  }

  private static Communication communication(
      CommunicationRequest asked,
      Task referral,
      ServiceRequest serviceRequest,
      String patientId,
      WriteBack.InformationRequest mapping) {
    Communication message = new Communication();
    asked.getIdentifier().forEach(i -> message.addIdentifier(i.copy()));
    message.setStatus(Communication.CommunicationStatus.COMPLETED);
    message.addCategory(category(mapping));
    if (asked.hasPriority()) {
      message.setPriority(
          Communication.CommunicationPriority.fromCode(asked.getPriority().toCode()));
    }
    message.setSubject(patient(patientId));
    message.addAbout(referralTask(referral));
    message.addBasedOn(referral(serviceRequest));
    message.setSentElement(asked.getAuthoredOnElement().copy());
    if (asked.hasSender()) {
      message.setSender(asked.getSender().copy());
    }
    asked.getRecipient().forEach(r -> message.addRecipient(r.copy()));
    asked.getPayload().forEach(p -> message.addPayload().setContent(p.getContent().copy()));
    message.setText(narrative(asked));
    return message;
  }

  /** The mapping's codes, and always the words, so any EHR shows what this is. */
  private static CodeableConcept category(WriteBack.InformationRequest mapping) {
    CodeableConcept category = new CodeableConcept().setText(CATEGORY_TEXT);
    mapping.category().forEach(c -> category.addCoding(c.toCoding()));
    return category;
  }

  private static Narrative narrative(CommunicationRequest asked) {
    List<String> items =
        asked.getPayload().stream()
            .filter(p -> p.getContent().isPrimitive())
            .map(p -> p.getContent().primitiveValue())
            .toList();
    return new Xhtml()
        .paragraph(
            "The second-opinion specialist asks for more information before the review can go on:")
        .list(items)
        .paragraph(
            "Add it to the patient's record, then have SecondLook pull the records again"
                + " ($rerun-pull on the referral Task): the specialist receives a new, signed packet.")
        .toNarrative();
  }

  private static Reference patient(String patientId) {
    return new Reference("Patient/" + patientId);
  }

  private static Reference referralTask(Task referral) {
    return new Reference()
        .setType("Task")
        .setIdentifier(referral.getIdentifierFirstRep().copy())
        .setDisplay("Second-opinion referral Task");
  }

  private static Reference referral(ServiceRequest serviceRequest) {
    return new Reference()
        .setType("ServiceRequest")
        .setIdentifier(serviceRequest.getIdentifierFirstRep().copy())
        .setDisplay("Second-opinion referral");
  }
}
