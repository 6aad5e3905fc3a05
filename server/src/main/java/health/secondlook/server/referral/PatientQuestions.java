package health.secondlook.server.referral;

import java.util.Optional;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Where a referral keeps the patient's questions: a QuestionnaireResponse in the ServiceRequest's
 * {@code supportingInfo}. The questions are optional, so a referral may have none.
 */
public final class PatientQuestions {

  private PatientQuestions() {}

  /** The reference ({@code QuestionnaireResponse/{id}}) of the patient's questions, if given. */
  public static Optional<String> reference(ServiceRequest serviceRequest) {
    return serviceRequest.getSupportingInfo().stream()
        .map(Reference::getReference)
        .filter(r -> r != null && r.startsWith("QuestionnaireResponse/"))
        .findFirst();
  }
}
