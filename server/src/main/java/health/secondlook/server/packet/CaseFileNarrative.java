package health.secondlook.server.packet;

import static health.secondlook.server.packet.CaseFileLines.day;
import static health.secondlook.server.packet.CaseFileLines.join;

import health.secondlook.server.fhir.Xhtml;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Writes the packet's narrative: for each section, text that reads like the case file a specialist
 * expects (each report's date, title and conclusion; the patient's questions in their words; what
 * is missing and why; when treatment must start), so a system that shows only narrative still shows
 * a useful case file. Optional parts of the referral that were not given (the patient's questions,
 * the treatment start date) are said to be absent rather than left out.
 */
final class CaseFileNarrative {

  private final PacketTerminology terminology;

  CaseFileNarrative(PacketTerminology terminology) {
    this.terminology = terminology;
  }

  /** The Composition's own summary: whose case, asked by whom, from which records. */
  Narrative composition(PacketSources sources, Patient patient, DateTimeType assembled) {
    ServiceRequest request = sources.serviceRequest();
    return new Xhtml()
        .labelled("Patient:", patientLine(patient))
        .labelled("Asks:", request.getReasonCodeFirstRep().getText())
        .paragraph(
            "Second-opinion packet assembled by SecondLook on %s from the records pulled from EHR '%s' (%s) on %s."
                .formatted(
                    day(assembled),
                    sources.sourceEhr().name(),
                    sources.sourceEhr().baseUrl(),
                    day(sources.completeness().getDateElement())))
        .toNarrative();
  }

  /**
   * @param records the section's records (the packet's copies) by their full URL in the packet
   */
  Narrative section(
      PacketSection section,
      Map<String, Resource> records,
      CaseFileLines lines,
      PacketSources sources) {
    return switch (section) {
      case REASON_AND_QUESTIONS -> reasonAndQuestions(sources);
      case COMPLETENESS -> completeness(sources);
      case URGENCY -> urgency(sources);
      default -> records(records, lines);
    };
  }

  /**
   * One line per record, grouped by kind, latest first; results are listed with their report rather
   * than again on their own.
   */
  private static Narrative records(Map<String, Resource> records, CaseFileLines lines) {
    if (records.isEmpty()) {
      return new Xhtml()
          .paragraph("No records of this kind were found in the referring EHR.")
          .toNarrative();
    }
    Set<String> reportResults =
        records.values().stream()
            .filter(DiagnosticReport.class::isInstance)
            .flatMap(r -> ((DiagnosticReport) r).getResult().stream())
            .map(Reference::getReference)
            .collect(Collectors.toSet());
    List<String> shown =
        records.entrySet().stream()
            .filter(e -> !reportResults.contains(e.getKey()))
            .map(Map.Entry::getValue)
            .sorted(
                Comparator.comparing(Resource::fhirType)
                    .thenComparing(CaseFileLines::when, Comparator.reverseOrder()))
            .map(lines::line)
            .toList();
    return new Xhtml().list(shown).toNarrative();
  }

  private Narrative reasonAndQuestions(PacketSources sources) {
    ServiceRequest request = sources.serviceRequest();
    Xhtml html =
        new Xhtml()
            .labelled("Reason for referral:", request.getReasonCodeFirstRep().getText())
            .paragraph(
                "Requested on %s by %s%s."
                    .formatted(
                        day(request.getAuthoredOnElement()),
                        who(request.getRequester()),
                        request.hasPerformer()
                            ? " for " + who(request.getPerformerFirstRep())
                            : ""));
    if (sources.questions().isEmpty()) {
      // Said outright, so the specialist does not look for questions that were lost on the way.
      return html.heading("No patient questions were given with this referral.").toNarrative();
    }
    List<String> questions = questions(sources.questions().get());
    return html.heading(
            questions.isEmpty() ? "The patient gave no questions." : "The patient's questions:")
        .list(questions)
        .toNarrative();
  }

  private List<String> questions(QuestionnaireResponse given) {
    List<String> questions = new ArrayList<>();
    for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : given.getItem()) {
      String question =
          terminology
              .question(item.getLinkId())
              .orElse(item.hasText() ? item.getText() : item.getLinkId());
      for (QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent answer :
          item.getAnswer()) {
        if (answer.getValue() instanceof BooleanType asked) {
          // A ticked standard question means "I want this answered"; an unticked one is not asked.
          if (asked.booleanValue()) {
            questions.add(question);
          }
        } else {
          questions.add(question + ": \u201c" + CaseFileLines.text(answer.getValue()) + "\u201d");
        }
      }
    }
    return questions;
  }

  private Narrative completeness(PacketSources sources) {
    List<String> missing = new ArrayList<>();
    List<String> notAvailable = new ArrayList<>();
    for (Composition.SectionComponent item : sources.completeness().getSection()) {
      String status = PacketSources.itemStatus(item);
      String itemCode = item.getCode().getCodingFirstRep().getCode();
      String line = item.getTitle() + ". " + terminology.rationale(itemCode);
      if ("missing".equals(status)) {
        missing.add(line);
      } else if ("not-available".equals(status)) {
        notAvailable.add(line);
      }
    }
    Xhtml html = new Xhtml();
    if (missing.isEmpty()) {
      html.paragraph("Every record a second opinion requires is in this packet.");
    } else {
      html.heading("Missing from the referring EHR:").list(missing);
      if (sources.proceedingIncomplete()) {
        html.paragraph(
            "The referring team chose to proceed with the records that are there; the opinion may"
                + " need to be qualified accordingly.");
      }
    }
    if (!notAvailable.isEmpty()) {
      html.heading("Not available (sent when they exist):").list(notAvailable);
    }
    return html.paragraph(
            "Records pulled from EHR '%s' (%s) on %s."
                .formatted(
                    sources.sourceEhr().name(),
                    sources.sourceEhr().baseUrl(),
                    sources.completeness().getDateElement().getValueAsString()))
        .toNarrative();
  }

  private static Narrative urgency(PacketSources sources) {
    ServiceRequest request = sources.serviceRequest();
    // Read without the getter, which would add an empty period to a referral that has none.
    String startBy = request.getOccurrence() instanceof Period due ? day(due.getEndElement()) : "";
    return new Xhtml()
        .labelled("Priority:", request.hasPriority() ? request.getPriority().toCode() : "routine")
        .labelled(
            "Treatment must start by:",
            startBy.isEmpty()
                ? "not known: the referral gave no date, so the priority alone says how urgent the"
                    + " opinion is."
                : startBy + "; the opinion is needed before then.")
        .toNarrative();
  }

  private static String patientLine(Patient patient) {
    return join(
        patient.hasName() ? patient.getNameFirstRep().getNameAsSingleString() : "name not recorded",
        patient.hasBirthDate() ? "born " + day(patient.getBirthDateElement()) : "",
        patient.hasGender() ? patient.getGender().toCode() : "",
        patient.getIdentifier().stream()
            .map(i -> i.getValue())
            .filter(v -> v != null)
            .findFirst()
            .map(v -> "identifier " + v)
            .orElse(""));
  }

  private static String who(Reference reference) {
    if (reference.hasDisplay()) {
      return reference.getDisplay();
    }
    if (reference.hasIdentifier()) {
      return reference.getIdentifier().getValue()
          + " ("
          + reference.getIdentifier().getSystem()
          + ")";
    }
    return reference.getReference();
  }
}
