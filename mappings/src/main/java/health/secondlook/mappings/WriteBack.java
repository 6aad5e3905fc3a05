package health.secondlook.mappings;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;

/**
 * How a specialist's review is written back into one kind of referring EHR, mirroring a mapping
 * file's {@code writeBack} section: which resources are made there, with which codes, how the EHR's
 * copy of the referral Task is found, whether the writes travel as one transaction, and whether and
 * how a specialist's request for more information reaches the EHR. Every create for a review is
 * conditional on {@link #identifierSystem()} and the review's identifier, so writing the same
 * review again never makes a second copy. {@link MappingProfiles} checks it when the file is
 * loaded.
 *
 * @param requests {@code separate} (one conditional request per resource; any R4 server) or {@code
 *     transaction} (one transaction Bundle, for an EHR that supports them)
 * @param identifierSystem system of the identifier every resource written for a review carries,
 *     with the review's identifier as the value; conditional creates match on it
 * @param document the DocumentReference that carries the signed feedback document
 * @param summary the resource that states the outcome in the EHR's own terms
 * @param task whether, and how, the EHR's copy of the referral Task is updated
 * @param informationRequest how a specialist's request for more information is written to the EHR;
 *     {@code null} when the file leaves it out, and such requests stay at SecondLook
 */
public record WriteBack(
    Requests requests,
    String identifierSystem,
    Document document,
    Summary summary,
    Task task,
    InformationRequest informationRequest) {

  public WriteBack {
    requests = requests == null ? Requests.SEPARATE : requests;
  }

  /** How the writes of one review are sent. */
  public enum Requests {
    /** Each resource on its own, in order, each conditional: a plain R4 server suffices. */
    @JsonProperty("separate")
    SEPARATE,
    /** All resources in one transaction Bundle: all or nothing at the EHR. */
    @JsonProperty("transaction")
    TRANSACTION
  }

  /**
   * @param type {@code DocumentReference.type}, e.g. LOINC 11488-4 Consult note
   * @param category {@code DocumentReference.category}, e.g. US Core {@code clinical-note}
   */
  public record Document(Code type, List<Code> category) {
    public Document {
      category = category == null ? List.of() : List.copyOf(category);
    }
  }

  /**
   * @param resourceType {@code DiagnosticReport} or {@code Communication}
   * @param code {@code DiagnosticReport.code} (required there), or {@code Communication.topic}
   * @param category {@code DiagnosticReport.category} or {@code Communication.category}
   * @param outcomeCodes the EHR's own code for each review-outcome code, written beside
   *     SecondLook's; outcomes not listed carry SecondLook's code only
   */
  public record Summary(
      String resourceType, Code code, List<Code> category, Map<String, Code> outcomeCodes) {
    public Summary {
      category = category == null ? List.of() : List.copyOf(category);
      outcomeCodes =
          outcomeCodes == null
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(outcomeCodes));
    }
  }

  /**
   * @param update whether the EHR's copy of the referral Task is updated (or made) at all
   * @param match search parameters of the conditional update {@code PUT Task?{match}}, with {@code
   *     {identifier}} for the referral's identifier ({@code system|value}) and optionally {@code
   *     {patient}} for the patient's id at the EHR
   */
  public record Task(Boolean update, String match) {
    /** Stands for the referral identifier, as a token {@code system|value}. */
    public static final String IDENTIFIER_PLACEHOLDER = "{identifier}";

    /** Stands for the patient's id at the EHR. */
    public static final String PATIENT_PLACEHOLDER = "{patient}";

    public Task {
      update = update == null ? Boolean.TRUE : update;
    }

    /** The conditional URL's query for one referral; values are not percent-encoded. */
    public String query(String identifierToken, String patientId) {
      return match
          .replace(IDENTIFIER_PLACEHOLDER, identifierToken)
          .replace(PATIENT_PLACEHOLDER, patientId);
    }
  }

  /**
   * A specialist's request for more information ({@code $request-information}), written to the EHR
   * as soon as it is made, conditional on the request's own identifier.
   *
   * @param resourceType {@code CommunicationRequest} (the referrer is asked to act) or {@code
   *     Communication} (a message to the referrer, for an EHR that files no CommunicationRequests)
   * @param category {@code category} of the written resource, beside its text
   */
  public record InformationRequest(String resourceType, List<Code> category) {
    public InformationRequest {
      category = category == null ? List.of() : List.copyOf(category);
    }
  }

  /** A code as a mapping file writes it. */
  public record Code(String system, String code, String display) {
    public Coding toCoding() {
      return new Coding(system, code, display);
    }
  }
}
