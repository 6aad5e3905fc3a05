package health.secondlook.server.web;

import health.secondlook.mappings.CompletenessReport;
import health.secondlook.server.pull.RecordsPreview;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * One packet item in the composer's preview: present, missing, not applicable or not available, why
 * the specialist needs it when it is not there, and the records found for it, each described in a
 * line (what it is and when).
 */
record PreviewItem(
    String code, String display, String status, String rationale, List<String> records) {

  static final String PATIENT_QUESTIONS = "patient-questions";

  static List<PreviewItem> of(RecordsPreview.Preview preview, PageTerminology terminology) {
    return preview.report().items().stream()
        .filter(item -> !PATIENT_QUESTIONS.equals(item.code())) // asked for on the form itself
        .map(
            item ->
                new PreviewItem(
                    item.code(),
                    item.display(),
                    item.status().code(),
                    item.status() == CompletenessReport.Status.PRESENT ? null : item.rationale(),
                    item.resources().stream()
                        .map(reference -> describe(reference, preview.records().get(reference)))
                        .toList()))
        .toList();
  }

  /** "DiagnosticReport: Pathology report, 2026-10-02", from whichever elements the record has. */
  static String describe(String reference, Resource resource) {
    String type = reference.substring(0, reference.indexOf('/'));
    if (resource == null) {
      return type;
    }
    String what =
        firstText(
            resource,
            "code",
            "type",
            "category",
            "medicationCodeableConcept",
            "description",
            "title");
    String when =
        firstDate(
            resource,
            "effective",
            "performed",
            "issued",
            "date",
            "started",
            "authoredOn",
            "onset",
            "recordedDate",
            "period",
            "receivedTime");
    return type + (what.isEmpty() ? "" : ": " + what) + (when.isEmpty() ? "" : ", " + when);
  }

  private static String firstText(Resource resource, String... names) {
    for (String name : names) {
      for (Base value : values(resource, name)) {
        String text =
            value instanceof CodeableConcept concept
                ? concept.hasText() ? concept.getText() : concept.getCodingFirstRep().getDisplay()
                : value.isPrimitive() ? value.primitiveValue() : null;
        if (text != null && !text.isBlank()) {
          return text;
        }
      }
    }
    return "";
  }

  private static String firstDate(Resource resource, String... names) {
    for (String name : names) {
      for (Base value : values(resource, name)) {
        if (value instanceof org.hl7.fhir.r4.model.Period period && period.hasStart()) {
          return period.getStartElement().getValueAsString().substring(0, 10);
        }
        if (value instanceof Type type && type.isPrimitive() && type.primitiveValue() != null) {
          String text = type.primitiveValue();
          return text.length() >= 10 ? text.substring(0, 10) : text;
        }
      }
    }
    return "";
  }

  private static List<Base> values(Resource resource, String name) {
    try {
      var property = resource.getNamedProperty(name);
      if (property == null) {
        property = resource.getNamedProperty(name + "[x]");
      }
      return property == null ? List.of() : property.getValues();
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
