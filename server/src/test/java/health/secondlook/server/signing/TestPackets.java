package health.secondlook.server.signing;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.sandbox.SyntheticPatient;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Document Bundles shaped like a packet, from the sandbox EHR's synthetic breast cancer record: a
 * Composition first, the record's resources with resolvable fullUrls, and a discharge letter
 * carried inline.
 */
final class TestPackets {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final String BASE = "https://ehr.example.org/fhir/";

  private TestPackets() {}

  static Bundle document() {
    SyntheticPatient patient =
        SyntheticCancerPatients.all().stream()
            .filter(p -> p.id().equals(SyntheticCancerPatients.BREAST))
            .findFirst()
            .orElseThrow();
    Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT);
    bundle.setIdentifier(
        new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
    bundle.setTimestampElement(new InstantType("2025-06-02T09:15:00Z"));

    Composition composition = new Composition();
    composition.setStatus(Composition.CompositionStatus.FINAL);
    composition
        .getType()
        .addCoding()
        .setSystem("http://loinc.org")
        .setCode("57133-1")
        .setDisplay("Referral note");
    composition.setSubject(new Reference("Patient/" + patient.id()));
    composition.setDate(Date.from(TestPki.NOW));
    composition.addAuthor().setDisplay("SecondLook");
    composition.setTitle("Second opinion request");
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(composition);

    for (Resource resource : patient.resources()) {
      bundle
          .addEntry()
          .setFullUrl(BASE + resource.fhirType() + "/" + resource.getIdPart())
          .setResource(resource.copy());
    }
    DocumentReference letter = new DocumentReference();
    letter.setStatus(org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT);
    letter.setSubject(new Reference("Patient/" + patient.id()));
    letter
        .addContent()
        .getAttachment()
        .setContentType("text/plain")
        .setData(
            "Référence: patient asks «is surgery first right?»\n\tSigned — Dr Test"
                .getBytes(StandardCharsets.UTF_8));
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(letter);
    return bundle;
  }

  static String json(Bundle bundle) {
    return FHIR.newJsonParser().encodeResourceToString(bundle);
  }

  static Bundle parse(String json) {
    return FHIR.newJsonParser().parseResource(Bundle.class, json);
  }

  /** A payload for {@code DetachedJws.sign}: these bytes, in one piece. */
  static Consumer<CanonicalJsonWriter.Sink> payload(byte[] bytes) {
    return sink -> sink.accept(bytes, 0, bytes.length);
  }
}
