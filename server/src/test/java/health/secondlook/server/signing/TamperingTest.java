package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.util.FhirTerser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * A signed packet changed in any value no longer verifies; a change that leaves the canonical form
 * alone (property order, whitespace between tokens) does.
 */
class TamperingTest {

  private static final TestPki PKI = new TestPki("Tampering test");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BundleVerifier verifier = new BundleVerifier(PKI.trust());

  @Test
  void changingAnySingleValueOfAnyEntryBreaksTheSignature() {
    Bundle bundle = signed();
    FhirTerser terser = TestPackets.FHIR.newTerser();
    Map<String, Integer> changedByType = new TreeMap<>();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      Resource resource = entry.getResource();
      Map<String, IPrimitiveType<?>> firstOfEachType = new HashMap<>();
      for (IPrimitiveType<?> value :
          terser.getAllPopulatedChildElementsOfType(resource, IPrimitiveType.class)) {
        // HAPI gives a resource without id its urn: fullUrl as id, and never writes such an id.
        if (!value.getValueAsString().startsWith("urn:")) {
          firstOfEachType.putIfAbsent(value.fhirType(), value);
        }
      }
      for (IPrimitiveType<?> value : firstOfEachType.values()) {
        String original = value.getValueAsString();
        change(value);
        assertThat(verifier.verify(bundle).problems())
            .as(
                "%s %s: %s changed from '%s'",
                resource.fhirType(), resource.getIdPart(), value.fhirType(), original)
            .extracting(VerificationResult.Problem::code)
            .containsExactly(ProblemCode.DIGEST_MISMATCH);
        value.setValueAsString(original);
        changedByType.merge(value.fhirType(), 1, Integer::sum);
      }
    }
    assertThat(verifier.verify(bundle).problems()).isEmpty();
    // The walk reached strings, codes, dates, references, numbers and attachment data.
    assertThat(changedByType)
        .containsKeys("string", "code", "dateTime", "decimal", "base64Binary", "uri");
    assertThat(changedByType.values().stream().mapToInt(Integer::intValue).sum())
        .isGreaterThan(100);
  }

  @Test
  void changingAReferenceBreaksTheSignature() {
    Bundle bundle = signed();
    Reference subject =
        bundle.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(r -> r instanceof org.hl7.fhir.r4.model.Observation)
            .map(r -> ((org.hl7.fhir.r4.model.Observation) r).getSubject())
            .findFirst()
            .orElseThrow();
    subject.setReference("Patient/someone-else");

    assertThat(verifier.verify(bundle).has(ProblemCode.DIGEST_MISMATCH)).isTrue();
  }

  @Test
  void addingOrRemovingAnEntryBreaksTheSignature() {
    Bundle added = signed();
    added
        .addEntry()
        .setFullUrl("urn:uuid:0f0e4e2c-5c8b-4a53-9c67-4f3b9a5b1a11")
        .setResource(new org.hl7.fhir.r4.model.Basic());
    Bundle removed = signed();
    removed.getEntry().remove(removed.getEntry().size() - 1);

    assertThat(verifier.verify(added).has(ProblemCode.DIGEST_MISMATCH)).isTrue();
    assertThat(verifier.verify(removed).has(ProblemCode.DIGEST_MISMATCH)).isTrue();
  }

  @Test
  void reorderingJsonPropertiesLeavesTheCanonicalFormAndTheSignatureIntact() throws Exception {
    String json = TestPackets.json(signed());
    JsonNode reordered = reverseProperties(JSON.readTree(json));
    String text =
        JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(reordered);
    assertThat(text).isNotEqualTo(json);

    assertThat(verifier.verifyJson(text).problems()).isEmpty();
    assertThat(verifier.verify(TestPackets.parse(text)).problems()).isEmpty();
  }

  @Test
  void changingWhitespaceInsideAStringBreaksTheSignature() throws Exception {
    String json = TestPackets.json(signed());
    assertThat(json).contains("\"title\":\"Second opinion request\"");
    String changed =
        json.replace(
            "\"title\":\"Second opinion request\"", "\"title\":\"Second  opinion request\"");

    assertThat(verifier.verifyJson(changed).problems())
        .extracting(VerificationResult.Problem::code)
        .containsExactly(ProblemCode.DIGEST_MISMATCH);
    assertThat(verifier.verify(TestPackets.parse(changed)).problems())
        .extracting(VerificationResult.Problem::code)
        .containsExactly(ProblemCode.DIGEST_MISMATCH);
  }

  @Test
  void aNumberWrittenDifferentlyButEquallyStaysValidAsJcsPrescribes() throws Exception {
    Bundle bundle = signed();
    String json = TestPackets.json(bundle);
    ObjectNode tree = (ObjectNode) JSON.readTree(json);
    JsonNode value = tree.findValue("valueQuantity");
    assertThat(value).isNotNull();
    BigDecimal number = value.get("value").decimalValue();
    ((ObjectNode) value).put("value", new BigDecimal(number.toPlainString() + "0"));

    assertThat(verifier.verifyJson(JSON.writeValueAsString(tree)).problems()).isEmpty();
  }

  private static Bundle signed() {
    Bundle bundle = TestPackets.document();
    new BundleSigner(PKI.rsa())
        .sign(bundle, SignatureRole.AUTHOR, TestPki.NOW, new Reference("Device/secondlook"));
    return bundle;
  }

  private static void change(IPrimitiveType<?> value) {
    if (value instanceof BooleanType bool) {
      bool.setValue(!bool.getValue());
    } else if (value instanceof IntegerType integer) {
      integer.setValue(integer.getValue() + 1);
    } else if (value instanceof DecimalType decimal) {
      decimal.setValue(decimal.getValue().add(BigDecimal.ONE));
    } else if (value instanceof BaseDateTimeType date) {
      date.setValue(Date.from(date.getValue().toInstant().minusSeconds(86_400 * 400L)));
    } else if (value instanceof Base64BinaryType data) {
      byte[] bytes = data.getValue().clone();
      bytes[0] ^= 1;
      data.setValue(bytes);
    } else if (value.fhirType().equals("xhtml")) {
      value.setValueAsString(value.getValueAsString().replace("</div>", " (changed)</div>"));
    } else if (value instanceof Enumeration<?> code) {
      code.setValueAsString(otherCode(code));
    } else {
      value.setValueAsString(value.getValueAsString() + "x");
    }
  }

  /** Another code of the same required value set, so the change is one a forger could make. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String otherCode(Enumeration<?> code) {
    Class<?> type = code.getValue().getClass();
    for (Object constant : type.getEnumConstants()) {
      String other =
          ((org.hl7.fhir.r4.model.EnumFactory) code.getEnumFactory()).toCode((Enum) constant);
      if (!"?".equals(other) && !other.equals(code.getValueAsString())) {
        return other;
      }
    }
    throw new IllegalStateException("no other code for " + type);
  }

  private static JsonNode reverseProperties(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      Collections.reverse(names);
      ObjectNode reversed = JSON.createObjectNode();
      for (String name : names) {
        reversed.set(name, reverseProperties(object.get(name)));
      }
      return reversed;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = JSON.createArrayNode();
      array.forEach(element -> copy.add(reverseProperties(element)));
      return copy;
    }
    return node instanceof TextNode ? node : node.deepCopy();
  }
}
