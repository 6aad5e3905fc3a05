package health.secondlook.server.referral;

import java.time.LocalDate;
import java.util.Optional;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;

/**
 * A referring team's request for a second opinion, as received by {@code $request-second-opinion}
 * and checked by {@link SecondOpinionRequestParser}.
 *
 * @param source the configured EHR the records are pulled from
 * @param patientId the patient's id at that EHR
 * @param questions the patient's questions, if they gave any
 * @param priority how urgent the opinion is; {@code routine} unless the referrer said otherwise
 * @param treatmentStartBy the date treatment must start by, if known; the opinion is due then
 * @param requestIdentifier makes a retried submission return the same referral
 */
record SecondOpinionRequest(
    String source,
    String patientId,
    String reason,
    Optional<QuestionnaireResponse> questions,
    ServiceRequestPriority priority,
    Optional<LocalDate> treatmentStartBy,
    Identifier requester,
    Optional<String> recipient,
    Optional<Identifier> requestIdentifier) {}
