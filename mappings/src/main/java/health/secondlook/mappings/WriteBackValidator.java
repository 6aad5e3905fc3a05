package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.mappings.WriteBack.Code;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a mapping file's {@code writeBack} section when the file is loaded, naming the file and
 * field of each problem, so a site learns of a bad code or match before a review is written back
 * rather than from a failed write-back.
 */
final class WriteBackValidator {

  static final Set<String> SUMMARY_TYPES = Set.of("DiagnosticReport", "Communication");
  static final Set<String> INFORMATION_REQUEST_TYPES =
      Set.of("CommunicationRequest", "Communication");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

  private final FhirContext ctx;
  private final Set<String> reviewOutcomes;

  /**
   * @param reviewOutcomes the codes of the review-outcome CodeSystem
   */
  WriteBackValidator(FhirContext ctx, Set<String> reviewOutcomes) {
    this.ctx = ctx;
    this.reviewOutcomes = reviewOutcomes;
  }

  /** A missing section is allowed: nothing is written back to EHRs read with that profile. */
  void validate(String file, WriteBack writeBack) {
    if (writeBack == null) {
      return;
    }
    String field = "writeBack";
    checkSystem(file, field + ".identifierSystem", writeBack.identifierSystem());
    if (writeBack.document() == null) {
      throw invalid(file, field + ".document", "missing");
    }
    checkCode(file, field + ".document.type", writeBack.document().type(), true);
    checkCodes(file, field + ".document.category", writeBack.document().category());
    checkSummary(file, field + ".summary", writeBack.summary());
    checkTask(file, field + ".task", writeBack.task());
    checkInformationRequest(file, field + ".informationRequest", writeBack.informationRequest());
  }

  /** Left out: information requests are not written to the EHR. */
  private static void checkInformationRequest(
      String file, String field, WriteBack.InformationRequest request) {
    if (request == null) {
      return;
    }
    if (request.resourceType() == null || request.resourceType().isBlank()) {
      throw invalid(file, field + ".resourceType", "missing");
    }
    if (!INFORMATION_REQUEST_TYPES.contains(request.resourceType())) {
      throw invalid(
          file,
          field + ".resourceType",
          "is '"
              + request.resourceType()
              + "'; an information request is written as CommunicationRequest or Communication");
    }
    checkCodes(file, field + ".category", request.category());
  }

  private void checkSummary(String file, String field, WriteBack.Summary summary) {
    if (summary == null) {
      throw invalid(file, field, "missing");
    }
    if (summary.resourceType() == null || summary.resourceType().isBlank()) {
      throw invalid(file, field + ".resourceType", "missing");
    }
    if (!SUMMARY_TYPES.contains(summary.resourceType())) {
      throw invalid(
          file,
          field + ".resourceType",
          "is '"
              + summary.resourceType()
              + "'; the summary is written as DiagnosticReport or Communication");
    }
    // DiagnosticReport.code is 1..1; Communication.topic may be left out.
    checkCode(
        file, field + ".code", summary.code(), summary.resourceType().equals("DiagnosticReport"));
    checkCodes(file, field + ".category", summary.category());
    summary
        .outcomeCodes()
        .forEach(
            (outcome, code) -> {
              String entry = field + ".outcomeCodes." + outcome;
              if (!reviewOutcomes.contains(outcome)) {
                throw invalid(
                    file,
                    entry,
                    "'"
                        + outcome
                        + "' is not a review outcome; the review-outcome CodeSystem has "
                        + reviewOutcomes);
              }
              checkCode(file, entry, code, true);
            });
  }

  private void checkTask(String file, String field, WriteBack.Task task) {
    if (task == null) {
      throw invalid(file, field, "missing; say \"update\": false to leave the EHR's Task alone");
    }
    if (!task.update()) {
      if (task.match() != null) {
        throw invalid(file, field + ".match", "must be left out with \"update\": false");
      }
      return;
    }
    String match = task.match();
    if (match == null || match.isBlank()) {
      throw invalid(file, field + ".match", "missing");
    }
    // Without it the conditional update could match, and overwrite, another referral's Task.
    if (!match.contains(WriteBack.Task.IDENTIFIER_PLACEHOLDER)) {
      throw invalid(
          file,
          field + ".match",
          "has no "
              + WriteBack.Task.IDENTIFIER_PLACEHOLDER
              + ", so it would not find this referral's Task");
    }
    Matcher placeholders = PLACEHOLDER.matcher(match);
    while (placeholders.find()) {
      String found = placeholders.group();
      if (!found.equals(WriteBack.Task.IDENTIFIER_PLACEHOLDER)
          && !found.equals(WriteBack.Task.PATIENT_PLACEHOLDER)) {
        throw invalid(
            file,
            field + ".match",
            "unknown placeholder "
                + found
                + "; only "
                + WriteBack.Task.IDENTIFIER_PLACEHOLDER
                + " and "
                + WriteBack.Task.PATIENT_PLACEHOLDER
                + " are filled in");
      }
    }
    for (String parameter : match.split("&")) {
      int equals = parameter.indexOf('=');
      if (equals < 1) {
        throw invalid(file, field + ".match", "'" + parameter + "' is not name=value");
      }
      String name = parameter.substring(0, equals).split("[:.]", 2)[0];
      if (!name.startsWith("_") && ctx.getResourceDefinition("Task").getSearchParam(name) == null) {
        throw invalid(file, field + ".match", "Task has no search parameter '" + name + "'");
      }
    }
  }

  private static void checkCodes(String file, String field, List<Code> codes) {
    for (int i = 0; i < codes.size(); i++) {
      checkCode(file, field + "[" + i + "]", codes.get(i), true);
    }
  }

  private static void checkCode(String file, String field, Code code, boolean required) {
    if (code == null) {
      if (required) {
        throw invalid(file, field, "missing");
      }
      return;
    }
    checkSystem(file, field + ".system", code.system());
    if (code.code() == null || code.code().isBlank() || !code.code().equals(code.code().trim())) {
      throw invalid(file, field + ".code", code.code() == null ? "missing" : "is not a FHIR code");
    }
  }

  /** A code system or identifier system must be an absolute URI, e.g. {@code http://loinc.org}. */
  private static void checkSystem(String file, String field, String system) {
    if (system == null || system.isBlank()) {
      throw invalid(file, field, "missing");
    }
    try {
      if (new URI(system).isAbsolute() && !system.contains(" ")) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw invalid(file, field, "'" + system + "' is not an absolute URI such as http://loinc.org");
  }

  private static InvalidMappingException invalid(String file, String field, String problem) {
    return new InvalidMappingException(file, field, problem);
  }
}
