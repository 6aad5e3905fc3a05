package health.secondlook.server.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A second-opinion packet as the specialist reads it: the signature badge, each Composition
 * section's narrative (made safe), the attachments to download, and the imaging studies with where
 * to view them.
 */
record PacketView(
    String title,
    String date,
    Signature signature,
    List<Section> sections,
    List<AttachmentLink> attachments,
    List<Study> studies) {

  /** What {@code $verify-signature} said. */
  record Signature(boolean valid, String signer, String signedAt, List<String> problems) {}

  record Section(String title, String html, List<Section> sections) {}

  /**
   * @param index position in {@link #attachments}, the download link's key
   */
  record AttachmentLink(int index, String title, String contentType, Integer size) {}

  record Study(
      String description,
      String started,
      String modalities,
      int series,
      int instances,
      List<String> endpoints) {}

  static PacketView of(Bundle packet, Parameters verification) {
    Composition composition =
        packet.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(Composition.class::isInstance)
            .map(Composition.class::cast)
            .findFirst()
            .orElse(new Composition());
    List<AttachmentLink> attachments = new ArrayList<>();
    List<Attachment> found = attachments(packet);
    for (int i = 0; i < found.size(); i++) {
      Attachment a = found.get(i);
      attachments.add(
          new AttachmentLink(
              i,
              a.hasTitle() ? a.getTitle() : "Attachment " + (i + 1),
              a.getContentType(),
              a.hasSize() ? a.getSize() : a.hasData() ? a.getData().length : null));
    }
    return new PacketView(
        composition.hasTitle() ? composition.getTitle() : "Second-opinion packet",
        composition.hasDate() ? composition.getDateElement().getValueAsString() : "",
        signature(verification),
        composition.getSection().stream().map(PacketView::section).toList(),
        attachments,
        studies(packet));
  }

  /** Every attachment in the packet, in entry order: documents' contents and reports' forms. */
  static List<Attachment> attachments(Bundle packet) {
    List<Attachment> attachments = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : packet.getEntry()) {
      Resource resource = entry.getResource();
      if (resource instanceof DocumentReference document) {
        document.getContent().forEach(c -> attachments.add(c.getAttachment()));
      } else if (resource instanceof DiagnosticReport report) {
        attachments.addAll(report.getPresentedForm());
      }
    }
    return attachments;
  }

  private static Section section(Composition.SectionComponent section) {
    return new Section(
        section.hasTitle()
            ? section.getTitle()
            : section.getCode().getCodingFirstRep().getDisplay(),
        SafeNarrative.html(section.getText().getDiv()),
        section.getSection().stream().map(PacketView::section).toList());
  }

  private static Signature signature(Parameters verification) {
    boolean valid =
        verification.getParameter("valid") != null
            && verification.getParameter("valid").getValue() instanceof BooleanType b
            && b.booleanValue();
    List<String> problems =
        verification.getParameter().stream()
            .filter(p -> "problem".equals(p.getName()))
            .map(
                p ->
                    p.getPart().stream()
                        .filter(part -> "message".equals(part.getName()))
                        .map(part -> part.getValue().primitiveValue())
                        .findFirst()
                        .orElse("unspecified problem"))
            .toList();
    return new Signature(
        valid, value(verification, "signer"), value(verification, "sigT"), problems);
  }

  private static String value(Parameters parameters, String name) {
    var parameter = parameters.getParameter(name);
    return parameter == null || !parameter.hasValue()
        ? null
        : parameter.getValue().primitiveValue();
  }

  private static List<Study> studies(Bundle packet) {
    Map<String, Endpoint> endpoints =
        packet.getEntry().stream()
            .filter(e -> e.getResource() instanceof Endpoint)
            .collect(
                Collectors.toMap(
                    e -> e.getFullUrl(), e -> (Endpoint) e.getResource(), (a, b) -> a));
    List<Study> studies = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : packet.getEntry()) {
      if (entry.getResource() instanceof ImagingStudy study) {
        List<String> addresses = new ArrayList<>();
        for (Reference reference : study.getEndpoint()) {
          Endpoint endpoint = endpoints.get(reference.getReference());
          if (endpoint != null && endpoint.hasAddress()) {
            addresses.add(endpoint.getAddress());
          }
        }
        studies.add(
            new Study(
                study.hasDescription() ? study.getDescription() : "Imaging study",
                study.hasStarted() ? study.getStartedElement().getValueAsString() : "",
                study.getModality().stream()
                    .map(m -> m.getCode())
                    .distinct()
                    .collect(Collectors.joining(", ")),
                study.getNumberOfSeries(),
                study.getNumberOfInstances(),
                addresses));
      }
    }
    return studies;
  }
}
