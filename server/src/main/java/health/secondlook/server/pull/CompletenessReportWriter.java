package health.secondlook.server.pull;

import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_STATUS_EXTENSION;
import static health.secondlook.terminology.TerminologyContent.PACKET_ITEM_SYSTEM;
import static health.secondlook.terminology.TerminologyContent.PACKET_SECTION_SYSTEM;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.mappings.Classification;
import health.secondlook.mappings.CompletenessReport;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * Stores a pull's {@link CompletenessReport} as a Composition the referring team can read: one
 * section per packet item, with the records that satisfy it, or why it matters that it is missing,
 * and a last section listing the pulled records no rule keeps, by rule. Item sections carry the
 * item's status as a machine-readable extension.
 */
@Component
class CompletenessReportWriter {

  /** The code (packet-section CodeSystem) of the report's and the packet's left-out parts. */
  static final String LEFT_OUT = "left-out";

  private static final String LEFT_OUT_TITLE = "Left out of the packet";

  private static final String EMPTY_REASON_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/list-empty-reason";

  private final IFhirResourceDao<Composition> compositions;

  CompletenessReportWriter(DaoRegistry daoRegistry) {
    this.compositions = daoRegistry.getResourceDao(Composition.class);
  }

  /** Stores the report for a referral; the report's references are to SecondLook's copies. */
  Composition write(
      String id, CompletenessReport report, Reference patient, Reference serviceRequest) {
    Composition composition = new Composition();
    composition.setId(id);
    composition.setStatus(Composition.CompositionStatus.FINAL);
    composition.setType(
        new CodeableConcept().setText("Second-opinion records completeness report"));
    composition.setSubject(patient);
    composition.setDate(new Date());
    composition.addAuthor().setDisplay("SecondLook");
    composition.setTitle(
        report.complete()
            ? "Records complete for a second opinion"
            : "Records incomplete: " + report.missing().size() + " item(s) missing");
    composition.addEvent().addDetail(serviceRequest);
    for (CompletenessReport.Item item : report.items()) {
      Composition.SectionComponent section = composition.addSection();
      section.setTitle(item.display());
      section.getCode().addCoding().setSystem(PACKET_ITEM_SYSTEM).setCode(item.code());
      section.addExtension(PACKET_ITEM_STATUS_EXTENSION, new CodeType(item.status().code()));
      item.resources().forEach(r -> section.addEntry(new Reference(r)));
      if (item.resources().isEmpty()) {
        String reason =
            item.status() == CompletenessReport.Status.NOT_APPLICABLE ? "notasked" : "unavailable";
        section.setEmptyReason(new CodeableConcept(new Coding(EMPTY_REASON_SYSTEM, reason, null)));
      }
      section.setText(narrative(item));
    }
    if (!report.leftOut().isEmpty()) {
      composition.addSection(leftOut(report));
    }
    compositions.update(composition, new SystemRequestDetails());
    return composition;
  }

  /**
   * The pulled records no rule keeps, one part per rule: nothing pulled leaves the packet without
   * the report saying which rule left it out.
   */
  private static Composition.SectionComponent leftOut(CompletenessReport report) {
    Composition.SectionComponent section = new Composition.SectionComponent();
    section.setTitle(LEFT_OUT_TITLE);
    section.getCode().addCoding().setSystem(PACKET_SECTION_SYSTEM).setCode(LEFT_OUT);
    int total = 0;
    for (Classification.LeftOut rule : report.leftOut()) {
      Composition.SectionComponent part = section.addSection();
      part.setTitle(rule.reason());
      part.getCode().addCoding().setSystem(PACKET_SECTION_SYSTEM).setCode(LEFT_OUT);
      rule.resources().forEach(r -> part.addEntry(new Reference(r)));
      part.setText(text(rule.resources().size() + " record(s) left out: " + rule.reason() + "."));
      total += rule.resources().size();
    }
    section.setText(
        text(
            total
                + " pulled record(s) are kept by no rule of the mapping and are left out of the"
                + " packet's sections; each part below names the rule."));
    return section;
  }

  private static Narrative narrative(CompletenessReport.Item item) {
    String text =
        switch (item.status()) {
          case PRESENT -> "Present: " + item.resources().size() + " record(s).";
          case MISSING -> "Missing. " + item.rationale();
          case NOT_AVAILABLE -> "Not available. " + item.rationale();
          case NOT_APPLICABLE -> "Not required for this patient.";
        };
    return text(text);
  }

  private static Narrative text(String text) {
    Narrative narrative = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
    narrative.setDivAsString(
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + escape(text) + "</p></div>");
    return narrative;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
