package health.secondlook.sandbox;

import static health.secondlook.sandbox.Codes.DICOM;
import static health.secondlook.sandbox.Codes.DICOM_UID_SYSTEM;
import static health.secondlook.sandbox.Codes.DOCUMENT_CATEGORY;
import static health.secondlook.sandbox.Codes.V2_0074;
import static health.secondlook.sandbox.Codes.concept;
import static health.secondlook.sandbox.RecordBuilder.day;
import static health.secondlook.sandbox.RecordBuilder.instant;
import static health.secondlook.sandbox.RecordBuilder.ref;
import static health.secondlook.sandbox.RecordBuilder.text;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;

/**
 * Adds imaging and clinical documents to a {@link RecordBuilder}: ImagingStudy resources whose
 * pixel data lives behind the shared PACS endpoint (the packet only references them), radiology
 * reports, and DocumentReferences whose text the server holds as a Binary.
 */
final class ImagingAndDocuments {

  /** The modalities used, with the DICOM storage SOP class of their images. */
  enum Modality {
    MG("Mammography", "1.2.840.10008.5.1.4.1.1.1.2"),
    CT("Computed Tomography", "1.2.840.10008.5.1.4.1.1.2"),
    PT("Positron emission tomography", "1.2.840.10008.5.1.4.1.1.128");

    private final String display;
    private final String sopClassUid;

    Modality(String display, String sopClassUid) {
      this.display = display;
      this.sopClassUid = sopClassUid;
    }

    Coding coding() {
      return new Coding(DICOM, name(), display);
    }
  }

  private ImagingAndDocuments() {}

  /** A one-series study; study, series and instance UIDs derive from the resource id. */
  static ImagingStudy study(
      RecordBuilder record,
      String suffix,
      Modality modality,
      Coding bodySite,
      String description,
      int instances,
      int daysAgo) {
    ImagingStudy study = record.add(suffix, new ImagingStudy());
    String id = study.getIdPart();
    study.addIdentifier().setSystem(DICOM_UID_SYSTEM).setValue("urn:oid:" + dicomUid(id));
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(modality.coding());
    study.setSubject(record.patient());
    study.setStartedElement(day(daysAgo));
    study.addInterpreter(new Reference(SharedDirectory.RADIOLOGIST));
    study.addEndpoint(new Reference(SharedDirectory.PACS));
    study.setNumberOfSeries(1);
    study.setNumberOfInstances(instances);
    study.setDescription(description);
    ImagingStudy.ImagingStudySeriesComponent series =
        study
            .addSeries()
            .setUid(dicomUid(id + "/series/1"))
            .setNumber(1)
            .setModality(modality.coding())
            .setDescription(description)
            .setNumberOfInstances(instances)
            .setBodySite(bodySite);
    series.addEndpoint(new Reference(SharedDirectory.PACS));
    for (int number = 1; number <= instances; number++) {
      series
          .addInstance()
          .setUid(dicomUid(id + "/instance/" + number))
          .setSopClass(new Coding("urn:ietf:rfc:3986", "urn:oid:" + modality.sopClassUid, null))
          .setNumber(number);
    }
    return study;
  }

  /** The radiologist's report on a study (category RAD), its text also as a presented form. */
  static DiagnosticReport report(
      RecordBuilder record,
      String suffix,
      CodeableConcept code,
      ImagingStudy study,
      String conclusion,
      int daysAgo) {
    DiagnosticReport report = record.add(suffix, new DiagnosticReport());
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.addCategory(concept(V2_0074, "RAD", "Radiology"));
    report.setCode(code);
    report.setSubject(record.patient());
    report.setEffective(study.getStartedElement().copy());
    report.setIssuedElement(instant(daysAgo));
    report.addPerformer(new Reference(SharedDirectory.RADIOLOGIST));
    report.addResultsInterpreter(new Reference(SharedDirectory.RADIOLOGIST));
    report.addImagingStudy(ref(study));
    report.setConclusion(conclusion);
    report.addPresentedForm(text("Imaging report", conclusion, daysAgo));
    return report;
  }

  /**
   * A clinical note: the DocumentReference points at its text by URL ({@code Binary/<id>}), as EHRs
   * commonly do, so a pull has to fetch the Binary separately.
   */
  static DocumentReference document(
      RecordBuilder record,
      String suffix,
      CodeableConcept type,
      String author,
      Encounter encounter,
      String content,
      int daysAgo) {
    byte[] bytes = content.getBytes(UTF_8);
    Binary binary = record.add(suffix + "-text", new Binary());
    binary.setContentType("text/plain");
    binary.setData(bytes);

    DocumentReference document = record.add(suffix, new DocumentReference());
    document.setStatus(DocumentReferenceStatus.CURRENT);
    document.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
    document.setType(type);
    document.addCategory(concept(DOCUMENT_CATEGORY, "clinical-note", "Clinical Note"));
    document.setSubject(record.patient());
    document.setDateElement(instant(daysAgo));
    document.addAuthor(new Reference(author));
    document.setCustodian(new Reference(SharedDirectory.HOSPITAL));
    document.getContext().addEncounter(ref(encounter)).setPeriod(encounter.getPeriod().copy());
    document
        .addContent()
        .setAttachment(
            new Attachment()
                .setContentType("text/plain")
                .setUrl("Binary/" + binary.getIdPart())
                .setSize(bytes.length)
                .setTitle(type.getCodingFirstRep().getDisplay())
                .setCreationElement(day(daysAgo)));
    return document;
  }

  /**
   * A DICOM UID under the {@code 2.25} root, i.e. a UUID written as one integer (DICOM PS3.5 B.2);
   * the name-based UUID keeps it stable across builds.
   */
  static String dicomUid(String seed) {
    UUID uuid = UUID.nameUUIDFromBytes(seed.getBytes(UTF_8));
    byte[] bytes =
        ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits())
            .array();
    return "2.25." + new BigInteger(1, bytes);
  }
}
