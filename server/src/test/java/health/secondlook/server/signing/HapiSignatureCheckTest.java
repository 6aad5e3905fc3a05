package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import health.secondlook.server.support.HapiValidation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why HAPI's validator (8.6, org.hl7.fhir.validation 6.6.x) reports "The signature did not verify
 * against the provided certificate" on every CDex-signed packet, and why {@code PacketChecks} may
 * set that one error aside: not the signed bytes, which are ours to the byte, but the JWS's {@code
 * crit} header, which HAPI's Nimbus verifier is never told it understands. If HAPI starts to accept
 * the packets, {@link #hapisValidatorRejectsTheSignatureForItsCriticalHeadersAlone} fails, and the
 * exception in {@code PacketChecks} is to go.
 */
class HapiSignatureCheckTest {

  private static final TestPki PKI = new TestPki("HAPI check");

  @Test
  void hapisSignedBytesAreTheCanonicalForm() {
    Bundle packet = signed(TestPackets.document(), "RS256");

    assertThat(HapiValidation.signableBytes(packet)).isEqualTo(CanonicalForm.of(packet));
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256"})
  void hapisValidatorRejectsTheSignatureForItsCriticalHeadersAlone(String alg) throws Exception {
    Bundle packet = signed(TestPackets.document(), alg);
    assertThat(header(packet).getCriticalParams()).isEqualTo(Set.of("sigT", "srCms"));

    assertThat(signatureMessageIds(packet)).contains(HapiValidation.SIG_FAIL_CERT);
    assertThat(HapiValidation.verifiesOverSignableBytes(packet, Set.of())).isFalse();
    assertThat(HapiValidation.verifiesOverSignableBytes(packet, HapiValidation.READ_BY_HAPI))
        .isTrue();
    assertThat(HapiValidation.failsOnlyForCriticalHeaders(packet)).isTrue();

    // The same bytes, key and header but for crit: HAPI's check passes.
    Bundle withoutCrit = resignedWithoutCrit(packet, alg);
    assertThat(signatureMessageIds(withoutCrit))
        .contains("BUNDLE_SIGNATURE_SIG_OK")
        .noneMatch(id -> id.startsWith("BUNDLE_SIGNATURE_SIG_FAIL"));
  }

  /**
   * A second, rarer difference, which {@code PacketChecks} does not set aside: HAPI's canonical
   * JSON escapes U+2028 and U+2029 (backslash, "u2028"), where RFC 8785 (3.2.2.2, ECMAScript's
   * JSON.stringify) writes the characters themselves, in UTF-8 E2 80 A8 and E2 80 A9.
   */
  @Test
  void hapisCanonicalJsonEscapesLineAndParagraphSeparatorsWhereRfc8785DoesNot() {
    Bundle packet = TestPackets.document();
    ((Composition) packet.getEntryFirstRep().getResource()).setTitle("a\u2028b\u2029c");
    signed(packet, "RS256");

    String hapi = HexFormat.of().formatHex(HapiValidation.signableBytes(packet));
    String jcs = HexFormat.of().formatHex(CanonicalForm.ofJson(TestPackets.json(packet)));
    // The title as HAPI writes it, escaped, and as RFC 8785 does, in UTF-8.
    assertThat(hapi).contains(hex("\"a\\u2028b\\u2029c\"")).doesNotContain(hex("a\u2028b"));
    assertThat(jcs).contains(hex("\"a\u2028b\u2029c\"")).doesNotContain(hex("a\\u2028b"));
    assertThat(CanonicalForm.of(packet)).isEqualTo(CanonicalForm.ofJson(TestPackets.json(packet)));

    assertThat(HapiValidation.verifiesOverSignableBytes(packet, HapiValidation.READ_BY_HAPI))
        .isFalse();
    assertThat(HapiValidation.failsOnlyForCriticalHeaders(packet)).isFalse();
  }

  private static Bundle signed(Bundle bundle, String alg) {
    SigningIdentity identity = "RS256".equals(alg) ? PKI.rsa() : PKI.ec();
    new BundleSigner(identity)
        .sign(bundle, SignatureRole.AUTHOR, TestPki.NOW, new Reference().setDisplay("test"));
    return bundle;
  }

  private static Bundle resignedWithoutCrit(Bundle packet, String alg) throws Exception {
    SigningIdentity identity = "RS256".equals(alg) ? PKI.rsa() : PKI.ec();
    JWSHeader header = header(packet);
    JWSHeader withoutCrit =
        new JWSHeader.Builder(header.getAlgorithm())
            .keyID(header.getKeyID())
            .x509CertChain(header.getX509CertChain())
            .customParam("sigT", header.getCustomParam("sigT"))
            .customParam("srCms", header.getCustomParam("srCms"))
            .build();
    Bundle copy = packet.copy();
    String jws =
        DetachedJws.sign(
            withoutCrit,
            ByteBuffer.wrap(CanonicalForm.of(copy)),
            Algorithms.signer(identity.key(), identity.alg()));
    copy.getSignature().setData(jws.getBytes(StandardCharsets.US_ASCII));
    return copy;
  }

  private static JWSHeader header(Bundle packet) throws Exception {
    return JWSObject.parse(new String(packet.getSignature().getData(), StandardCharsets.US_ASCII))
        .getHeader();
  }

  private static List<String> signatureMessageIds(Bundle packet) {
    return HapiValidation.validator().validateWithResult(packet).getMessages().stream()
        .map(SingleValidationMessage::getMessageId)
        .filter(id -> id != null && id.startsWith("BUNDLE_SIGNATURE"))
        .toList();
  }

  private static String hex(String text) {
    return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
  }
}
