package health.secondlook.server.signing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.JsonParser;
import com.fasterxml.jackson.core.JsonParser.Feature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.erdtman.jcs.JsonCanonicalizer;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The bytes a packet signature covers (CDex signatures): the RFC 8785 canonical form of the
 * Bundle's FHIR JSON without its {@code id}, {@code meta} and {@code signature}, which storage and
 * signing themselves change.
 */
public final class CanonicalForm {

  /**
   * {@code Signature.targetFormat}: FHIR JSON canonicalised as above; {@code #document} is the FHIR
   * canonicalization that leaves out the Bundle's id and meta, so HAPI's validator checks the
   * signature over the same bytes.
   */
  public static final String TARGET_FORMAT =
      "application/fhir+json;canonicalization=http://hl7.org/fhir/canonicalization/json#document";

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(Feature.STRICT_DUPLICATE_DETECTION);

  private CanonicalForm() {}

  /**
   * The canonical form of a Bundle as HAPI encodes it: what a receiver canonicalises from the JSON
   * that SecondLook sends or serves.
   */
  public static byte[] of(Bundle bundle) {
    ByteBuffer canonical = buffer(bundle);
    byte[] bytes = new byte[canonical.remaining()];
    canonical.get(bytes);
    return bytes;
  }

  /** {@link #of} without copying the result out of the writer's buffer. */
  static ByteBuffer buffer(Bundle bundle) {
    CanonicalJsonWriter writer = new CanonicalJsonWriter();
    try {
      encoder().encodeResourceToJsonLikeWriter(withoutIdMetaSignature(bundle), writer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toUtf8();
  }

  /** {@link #of}, handed to {@code sink} in pieces while it is written, for signing. */
  static void writeTo(Bundle bundle, CanonicalJsonWriter.Sink sink) {
    CanonicalJsonWriter writer = new CanonicalJsonWriter();
    try {
      encoder().encodeResourceToJsonLikeWriter(withoutIdMetaSignature(bundle), writer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writer.writeTo(sink);
  }

  /**
   * The canonical form of Bundle JSON exactly as received, for verifiers that hold the text: no
   * FHIR parser stands between the bytes and the signature check.
   *
   * @throws IllegalArgumentException if the text is not a JSON object with {@code
   *     "resourceType":"Bundle"}
   */
  public static byte[] ofJson(String bundleJson) {
    try {
      JsonNode tree = JSON.readTree(bundleJson);
      if (!(tree instanceof ObjectNode bundle)
          || !"Bundle".equals(bundle.path("resourceType").asText())) {
        throw new IllegalArgumentException("not a FHIR Bundle in JSON");
      }
      bundle.remove("id");
      bundle.remove("meta");
      bundle.remove("signature");
      return new JsonCanonicalizer(JSON.writeValueAsString(bundle)).getEncodedUTF8();
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The JSON encoder whose output the canonical form is taken of: compact, nothing left out. */
  static JsonParser encoder() {
    JsonParser parser = (JsonParser) FHIR.newJsonParser();
    parser.setPrettyPrint(false);
    parser.setOmitResourceId(false);
    parser.setSuppressNarratives(false);
    parser.setSummaryMode(false);
    return parser;
  }

  /**
   * A shallow copy sharing every element but the three a signature does not cover, so a 5 MB packet
   * is not copied to be signed. Lists every element of R4 Bundle.
   */
  private static Bundle withoutIdMetaSignature(Bundle bundle) {
    // has…() first: R4 getters create empty elements on the caller's Bundle.
    Bundle content = new Bundle();
    if (bundle.hasImplicitRulesElement()) {
      content.setImplicitRulesElement(bundle.getImplicitRulesElement());
    }
    if (bundle.hasLanguageElement()) {
      content.setLanguageElement(bundle.getLanguageElement());
    }
    if (bundle.hasIdentifier()) {
      content.setIdentifier(bundle.getIdentifier());
    }
    if (bundle.hasTypeElement()) {
      content.setTypeElement(bundle.getTypeElement());
    }
    if (bundle.hasTimestampElement()) {
      content.setTimestampElement(bundle.getTimestampElement());
    }
    if (bundle.hasTotalElement()) {
      content.setTotalElement(bundle.getTotalElement());
    }
    if (bundle.hasLink()) {
      content.setLink(bundle.getLink());
    }
    if (bundle.hasEntry()) {
      content.setEntry(bundle.getEntry());
    }
    return content;
  }
}
