package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import health.secondlook.server.support.HapiValidation;
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
 * SecondLook's signatures as HAPI's validator (8.6, org.hl7.fhir.validation 6.6.x) checks them,
 * since many recipients run it: it recomputes the signed bytes, which are our {@link CanonicalForm}
 * to the byte, and verifies the JWS with the first {@code x5c} certificate's key. It rejects any
 * JWS whose {@code crit} header lists parameters, although it reads and checks {@code sigT} and
 * {@code srCms} itself, which is why SecondLook does not mark them critical.
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
  void hapisValidatorVerifiesSecondLooksSignature(String alg) throws Exception {
    Bundle packet = signed(TestPackets.document(), alg);

    assertThat(header(packet).getCriticalParams()).isNullOrEmpty();
    assertThat(signatureMessageIds(packet))
        .contains("BUNDLE_SIGNATURE_SIG_OK")
        .noneMatch(id -> id.startsWith("BUNDLE_SIGNATURE_SIG_FAIL"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256"})
  void hapisValidatorRejectsTheSameSignatureWithSigTAndSrCmsMarkedCritical(String alg)
      throws Exception {
    Bundle packet = signed(TestPackets.document(), alg);
    Bundle critical = resignedWithCrit(packet, alg);

    assertThat(signatureMessageIds(critical)).contains(HapiValidation.SIG_FAIL_CERT);
    assertThat(new BundleVerifier(PKI.trust()).verify(critical).valid())
        .as("SecondLook's verifier understands them")
        .isTrue();
  }

  /**
   * A rare difference left: HAPI's canonical JSON escapes U+2028 and U+2029 (backslash, "u2028"),
   * where RFC 8785 (3.2.2.2, ECMAScript's JSON.stringify) writes the characters themselves, in
   * UTF-8 E2 80 A8 and E2 80 A9. A packet with one of them in its text verifies with JCS verifiers
   * but not with HAPI's check.
   */
  @Test
  void hapisCanonicalJsonEscapesLineAndParagraphSeparatorsWhereRfc8785DoesNot() {
    Bundle packet = TestPackets.document();
    ((Composition) packet.getEntryFirstRep().getResource()).setTitle("a\u2028b\u2029c");
    signed(packet, "RS256");

    String hapi = HexFormat.of().formatHex(HapiValidation.signableBytes(packet));
    String jcs = HexFormat.of().formatHex(CanonicalForm.ofJson(TestPackets.json(packet)));
    assertThat(hapi).contains(hex("\"a\\u2028b\\u2029c\"")).doesNotContain(hex("a\u2028b"));
    assertThat(jcs).contains(hex("\"a\u2028b\u2029c\"")).doesNotContain(hex("a\\u2028b"));
    assertThat(CanonicalForm.of(packet)).isEqualTo(CanonicalForm.ofJson(TestPackets.json(packet)));
    assertThat(signatureMessageIds(packet)).contains(HapiValidation.SIG_FAIL_CERT);
  }

  private static Bundle signed(Bundle bundle, String alg) {
    new BundleSigner(identity(alg))
        .sign(bundle, SignatureRole.AUTHOR, TestPki.NOW, new Reference().setDisplay("test"));
    return bundle;
  }

  private static SigningIdentity identity(String alg) {
    return "RS256".equals(alg) ? PKI.rsa() : PKI.ec();
  }

  private static Bundle resignedWithCrit(Bundle packet, String alg) throws Exception {
    SigningIdentity identity = identity(alg);
    JWSHeader header = header(packet);
    JWSHeader withCrit =
        new JWSHeader.Builder(header).criticalParams(Set.of("sigT", "srCms")).build();
    Bundle copy = packet.copy();
    String jws =
        DetachedJws.sign(
            withCrit,
            TestPackets.payload(CanonicalForm.of(copy)),
            Algorithms.jcaSigner(identity.key(), identity.alg()));
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
