package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * The canonical form SecondLook signs is RFC 8785 of HAPI's JSON without id, meta and signature:
 * byte for byte what {@code JsonCanonicalizer} makes of that JSON text.
 */
class CanonicalFormTest {

  @Test
  void equalsJsonCanonicalizerOnHapiJsonForAPacket() throws Exception {
    Bundle bundle = TestPackets.document();

    assertThat(CanonicalForm.of(bundle)).isEqualTo(reference(bundle));
  }

  @Test
  void equalsJsonCanonicalizerOnTrickyStringsAndNumbers() throws Exception {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    Patient patient = new Patient();
    patient.setId("p1");
    HumanName name =
        patient.addName().setFamily("Ørsted \"Quote\" \\ back\u0001slash\u001f €😀 \u2028");
    name.addGivenElement().setValue("Zoë\t\n\r\b\f");
    // A given name with only an extension: HAPI writes null in "given" and the extension in
    // "_given".
    StringType extensionOnly = name.addGivenElement();
    extensionOnly.addExtension(
        new Extension("http://example.org/reason", new StringType("unknown")));
    bundle.addEntry().setFullUrl("http://example.org/fhir/Patient/p1").setResource(patient);
    for (String value :
        new String[] {
          "1.50",
          "0",
          "-0.0",
          "100",
          "1e3",
          "0.000001",
          "123456789012345678901234567890",
          "4.35",
          "1E-7",
          "9007199254740993"
        }) {
      Observation observation = new Observation();
      observation.setValue(
          new Quantity().setValueElement(new org.hl7.fhir.r4.model.DecimalType(value)));
      bundle
          .addEntry()
          .setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
          .setResource(observation);
    }
    RiskAssessment risk = new RiskAssessment();
    risk.addPrediction()
        .setProbability(
            new org.hl7.fhir.r4.model.DecimalType(new BigDecimal("0.33333333333333333333")));
    risk.addPrediction().getWhenRange().getLow().setValue(5).setUnit("a");
    bundle.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(risk);

    byte[] canonical = CanonicalForm.of(bundle);

    assertThat(new String(canonical, StandardCharsets.UTF_8))
        .isEqualTo(new String(reference(bundle), StandardCharsets.UTF_8));
    assertThat(new String(canonical, StandardCharsets.UTF_8))
        .contains("\"value\":1.5}")
        .contains("\"value\":1e-7}")
        .contains("\"given\":[\"Zoë\\t\\n\\r\\b\\f\",null]")
        .contains("\\u0001slash\\u001f €😀 \u2028");
  }

  @Test
  void leavesOutIdMetaAndSignatureOnlyAndLeavesTheBundleAlone() {
    Bundle bundle = TestPackets.document();
    bundle.setId("packet-1");
    bundle.getMeta().setVersionId("1");
    bundle.getSignature().setSigFormat("application/jose");
    String before = TestPackets.json(bundle);

    String canonical = new String(CanonicalForm.of(bundle), StandardCharsets.UTF_8);

    assertThat(canonical)
        .startsWith("{\"entry\":[")
        .doesNotContain("packet-1")
        .doesNotContain("application/jose");
    assertThat(canonical)
        .contains("\"identifier\":{")
        .contains("\"timestamp\":")
        .contains("\"type\":\"document\"");
    assertThat(TestPackets.json(bundle)).isEqualTo(before);
  }

  @Test
  void theJsonTextGivesTheSameCanonicalFormAsTheModel() {
    Bundle bundle = TestPackets.document();
    bundle.setId("packet-1");
    String json =
        TestPackets.FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);

    assertThat(CanonicalForm.ofJson(json)).isEqualTo(CanonicalForm.of(bundle));
  }

  @Test
  void jsonThatIsNotABundleIsRefused() {
    assertThatThrownBy(() -> CanonicalForm.ofJson("{\"resourceType\":\"Patient\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> CanonicalForm.ofJson("{\"resourceType\":\"Bundle\",\"type\":1,\"type\":2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type");
    assertThatThrownBy(() -> CanonicalForm.ofJson("not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] reference(Bundle bundle) throws Exception {
    Bundle copy = bundle.copy();
    copy.setIdElement(null);
    copy.setMeta(null);
    copy.setSignature(null);
    return new JsonCanonicalizer(TestPackets.json(copy)).getEncodedUTF8();
  }
}
