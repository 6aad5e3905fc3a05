package health.secondlook.server.packet;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.Type;

/**
 * One line of case-file text per record, the way a specialist reads a referral: date first, then
 * what it is, then what it found. Lines are built from the packet's own copies, so they say what
 * the packet carries (an attachment "at" a URL stays on SecondLook; one without is inline).
 */
final class CaseFileLines {

  private static final String SEPARATOR = " \u2014 ";

  private final Map<String, Resource> byReference;

  /**
   * @param byReference the packet's records by the reference the others use for them, to name an
   *     ImagingStudy's endpoint or a report's results
   */
  CaseFileLines(Map<String, Resource> byReference) {
    this.byReference = byReference;
  }

  /** The record as one line: its day first, then what it is and what it found. */
  String line(Resource resource) {
    return join(when(resource), what(resource));
  }

  /** The day a record is about ({@code yyyy-mm-dd}), or empty; case files list latest first. */
  static String when(Resource resource) {
    if (resource instanceof DiagnosticReport report) {
      return date(report.getEffective());
    }
    if (resource instanceof Observation observation) {
      return date(observation.getEffective());
    }
    if (resource instanceof Condition condition) {
      return condition.hasOnset()
          ? date(condition.getOnset())
          : day(condition.getRecordedDateElement());
    }
    if (resource instanceof Specimen specimen) {
      return date(specimen.getCollection().getCollected());
    }
    if (resource instanceof ImagingStudy study) {
      return day(study.getStartedElement());
    }
    if (resource instanceof CarePlan plan) {
      return day(plan.getPeriod().getStartElement());
    }
    if (resource instanceof MedicationRequest request) {
      return day(request.getAuthoredOnElement());
    }
    if (resource instanceof MedicationStatement statement) {
      return date(statement.getEffective());
    }
    if (resource instanceof Procedure procedure) {
      return date(procedure.getPerformed());
    }
    if (resource instanceof DocumentReference document) {
      return day(document.getDateElement());
    }
    return "";
  }

  private String what(Resource resource) {
    if (resource instanceof DiagnosticReport report) {
      return join(text(report.getCode()), report.getConclusion(), results(report.getResult()));
    }
    if (resource instanceof Observation observation) {
      return text(observation.getCode()) + ": " + value(observation.getValue());
    }
    if (resource instanceof Condition condition) {
      String stage = text(condition.getStageFirstRep().getSummary());
      return join(
          text(condition.getCode()) + bodySite(condition.getBodySite()),
          stage.isEmpty()
              ? "stage not recorded"
              : stage.toLowerCase().startsWith("stage") ? stage : "stage " + stage,
          condition.hasRecordedDate() ? "recorded " + day(condition.getRecordedDateElement()) : "");
    }
    if (resource instanceof Specimen specimen) {
      return join(
          text(specimen.getType()) + bodySite(List.of(specimen.getCollection().getBodySite())),
          specimen.hasAccessionIdentifier()
              ? "accession " + specimen.getAccessionIdentifier().getValue()
              : "",
          specimen.hasStatus() ? specimen.getStatus().getDisplay().toLowerCase() : "");
    }
    if (resource instanceof ImagingStudy study) {
      return join(
          study.getDescription(),
          study.getModality().stream().map(c -> c.getCode()).collect(Collectors.joining(", ")),
          study.getNumberOfSeries() + " series, " + study.getNumberOfInstances() + " images",
          endpoints(study.getEndpoint()));
    }
    if (resource instanceof CarePlan plan) {
      return join(
          plan.getTitle(),
          plan.getDescription(),
          plan.hasStatus() ? plan.getStatus().toCode() : "");
    }
    if (resource instanceof MedicationRequest request) {
      return join(
          text(request.getMedication()),
          dosage(request.getDosageInstruction()),
          request.hasStatus() ? request.getStatus().toCode() : "");
    }
    if (resource instanceof MedicationStatement statement) {
      return join(text(statement.getMedication()), dosage(statement.getDosage()));
    }
    if (resource instanceof Procedure procedure) {
      return text(procedure.getCode()) + bodySite(procedure.getBodySite());
    }
    if (resource instanceof DocumentReference document) {
      String type = text(document.getType());
      return join(
          type,
          document.getDescription(),
          document.getContent().stream()
              .map(c -> attachment(c.getAttachment(), type))
              .collect(Collectors.joining("; ")));
    }
    return resource.fhirType();
  }

  private String results(List<Reference> results) {
    return results.stream()
        .map(r -> byReference.get(r.getReference()))
        .filter(Observation.class::isInstance)
        .map(Observation.class::cast)
        .map(o -> text(o.getCode()) + " " + value(o.getValue()))
        .collect(Collectors.joining("; "));
  }

  private String endpoints(List<Reference> endpoints) {
    String addresses =
        endpoints.stream()
            .map(r -> byReference.get(r.getReference()))
            .filter(Endpoint.class::isInstance)
            .map(e -> ((Endpoint) e).getAddress())
            .distinct()
            .collect(Collectors.joining(", "));
    return addresses.isEmpty() ? "" : "images at " + addresses;
  }

  /** Content type, size and where it is; the title unless it only repeats the document type. */
  private static String attachment(Attachment attachment, String documentType) {
    String what =
        join(
            documentType.equals(attachment.getTitle()) ? "" : attachment.getTitle(),
            attachment.getContentType(),
            attachment.hasSize() ? attachment.getSize() + " bytes" : "");
    return attachment.hasUrl() ? what + " at " + attachment.getUrl() : what + " (included)";
  }

  private static String dosage(List<Dosage> dosages) {
    return dosages.stream()
        .map(Dosage::getText)
        .filter(Objects::nonNull)
        .collect(Collectors.joining(", "));
  }

  private static String bodySite(List<CodeableConcept> sites) {
    String names =
        sites.stream()
            .map(CaseFileLines::text)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.joining(", "));
    return names.isEmpty() ? "" : " (" + names + ")";
  }

  static String text(Type value) {
    if (value instanceof CodeableConcept concept) {
      if (concept.hasText()) {
        return concept.getText();
      }
      return concept.getCoding().stream()
          .map(c -> c.hasDisplay() ? c.getDisplay() : c.getCode())
          .filter(Objects::nonNull)
          .findFirst()
          .orElse("");
    }
    return value instanceof PrimitiveType<?> primitive ? primitive.getValueAsString() : "";
  }

  private static String value(Type value) {
    if (value instanceof Quantity quantity) {
      String number = quantity.hasValue() ? quantity.getValue().toPlainString() : "";
      return quantity.hasUnit() ? number + " " + quantity.getUnit() : number;
    }
    return value == null ? "" : text(value);
  }

  /** The day of a dateTime, or the start of a Period; empty when absent. */
  static String date(Type value) {
    if (value instanceof Period period) {
      return day(period.getStartElement());
    }
    return value instanceof PrimitiveType<?> primitive ? day(primitive) : "";
  }

  static String day(PrimitiveType<?> value) {
    String text = value == null ? null : value.getValueAsString();
    return text == null ? "" : text.substring(0, Math.min(10, text.length()));
  }

  static String join(String... parts) {
    return Arrays.stream(parts)
        .filter(p -> p != null && !p.isBlank())
        .collect(Collectors.joining(SEPARATOR));
  }
}
