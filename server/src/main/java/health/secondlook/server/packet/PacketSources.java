package health.secondlook.server.packet;

import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_STATUS_EXTENSION;

import health.secondlook.server.referral.ReferralTasks;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Everything one packet is assembled from, as stored in SecondLook after a pull. Resources keep
 * SecondLook's ids ({@code Type/id}); the assembler copies them and never changes these.
 *
 * @param serviceRequest the referral (reason, priority and, if known, treatment start-by date)
 * @param task the referral's Task (progress: whether the referrer chose to proceed incomplete)
 * @param questions the patient's questions, if the referral carries any
 * @param patient the referral's patient
 * @param pulled every resource of the pull (the pulled-records List), Binaries included
 * @param completeness the pull's completeness report; its {@code date} is when the pull ended
 * @param sourceEhr the EHR the records were pulled from
 * @param secondLookBaseUrl SecondLook's public FHIR base URL, for what the packet links to on
 *     SecondLook instead of carrying it (large attachments, resources outside the packet)
 */
public record PacketSources(
    ServiceRequest serviceRequest,
    Task task,
    Optional<QuestionnaireResponse> questions,
    Patient patient,
    List<Resource> pulled,
    Composition completeness,
    SourceEhr sourceEhr,
    String secondLookBaseUrl) {

  /** A referring EHR by its configured name and FHIR base URL. */
  public record SourceEhr(String name, String baseUrl) {}

  public PacketSources {
    pulled = List.copyOf(pulled);
    secondLookBaseUrl =
        secondLookBaseUrl.endsWith("/") ? secondLookBaseUrl : secondLookBaseUrl + "/";
  }

  /** Whether the referrer chose to go ahead although records are missing. */
  boolean proceedingIncomplete() {
    return ReferralTasks.progress(task)
        .filter(ReferralTasks.PROCEEDING_INCOMPLETE::equals)
        .isPresent();
  }

  /** The status the completeness report gives a packet item: present, missing, ... */
  static String itemStatus(Composition.SectionComponent item) {
    Extension status = item.getExtensionByUrl(PACKET_ITEM_STATUS_EXTENSION);
    return status == null ? "" : ((PrimitiveType<?>) status.getValue()).getValueAsString();
  }
}
