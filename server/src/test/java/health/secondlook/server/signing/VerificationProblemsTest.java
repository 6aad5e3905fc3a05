package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Signature;
import org.junit.jupiter.api.Test;

/**
 * Each reason a packet signature is rejected, with its code. Certificates are judged at the signing
 * time: every test certificate has expired by the time these tests run, and valid ones still pass.
 */
class VerificationProblemsTest {

  private static final TestPki PKI = new TestPki("Verifier test");
  private static final Instant WHEN = TestPki.NOW;

  private final BundleVerifier verifier = new BundleVerifier(PKI.trust());

  @Test
  void aCertificateExpiredAtTheSigningTimeIsRejected() {
    SigningIdentity expired =
        PKI.identity(
            TestPki.rsaKeys(),
            TestPki.LONG_AGO,
            WHEN.minus(Duration.ofDays(1)),
            KeyUsage.digitalSignature);

    assertThat(codes(verifier.verify(signedBy(expired))))
        .containsExactly(ProblemCode.CERTIFICATE_EXPIRED);
  }

  @Test
  void aCertificateNotYetValidAtTheSigningTimeIsRejected() {
    SigningIdentity early =
        PKI.identity(
            TestPki.ecKeys(),
            WHEN.plus(Duration.ofDays(1)),
            TestPki.FAR_AHEAD,
            KeyUsage.digitalSignature);

    assertThat(codes(verifier.verify(signedBy(early))))
        .containsExactly(ProblemCode.CERTIFICATE_NOT_YET_VALID);
  }

  @Test
  void aSignerFromAnotherCaIsUntrusted() {
    TestPki other = new TestPki("Unknown hospital");

    VerificationResult result = verifier.verify(signedBy(other.rsa()));

    assertThat(codes(result)).containsExactly(ProblemCode.UNTRUSTED_CHAIN);
    assertThat(result.signerName()).isEqualTo("CN=Test packet signer,O=SecondLook tests");
  }

  @Test
  void aSelfSignedSignerIsNotTrustedForItsOwnSake() {
    KeyPair keys = TestPki.generateRsa();
    CertificateIssuer self =
        CertificateIssuer.selfSigned(
            "CN=Verifier test root CA,O=SecondLook tests",
            keys,
            TestPki.LONG_AGO,
            TestPki.FAR_AHEAD);
    SigningIdentity impostor = SigningIdentity.of(keys.getPrivate(), List.of(self.certificate()));

    assertThat(codes(verifier.verify(signedBy(impostor))))
        .contains(ProblemCode.UNTRUSTED_CHAIN)
        .doesNotContain(ProblemCode.DIGEST_MISMATCH);
  }

  @Test
  void aCertificateWithoutDigitalSignatureUsageIsRejected() {
    SigningIdentity encipherOnly =
        PKI.identity(
            TestPki.rsaKeys(), TestPki.LONG_AGO, TestPki.FAR_AHEAD, KeyUsage.keyEncipherment);

    assertThat(codes(verifier.verify(signedBy(encipherOnly))))
        .containsExactly(ProblemCode.MISSING_DIGITAL_SIGNATURE_KEY_USAGE);
  }

  @Test
  void sigTMustEqualSignatureWhen() {
    Bundle bundle = signedBy(PKI.rsa());
    bundle.getSignature().setWhen(Date.from(WHEN.plusSeconds(1)));

    VerificationResult result = verifier.verify(bundle);

    assertThat(codes(result)).containsExactly(ProblemCode.SIGT_MISMATCH);
    assertThat(result.problems().get(0).message()).contains("2025-06-02T09:30:00Z");
  }

  @Test
  void srCmsMustEqualSignatureType() {
    Bundle bundle = signedBy(PKI.rsa());
    bundle.getSignature().getType().clear();
    bundle.getSignature().addType(SignatureRole.VERIFICATION.coding());

    assertThat(codes(verifier.verify(bundle))).containsExactly(ProblemCode.SRCMS_MISMATCH);
  }

  @Test
  void algNoneIsRejected() {
    Bundle bundle = signedBy(PKI.rsa());
    Map<String, Object> header = header(bundle);
    header.put("alg", "none");
    setJws(
        bundle,
        Base64URL.encode(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(header)) + "..");

    assertThat(codes(verifier.verify(bundle))).containsExactly(ProblemCode.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void anHmacForgedWithThePublicKeyIsRejected() throws Exception {
    Bundle bundle = signedBy(PKI.rsa());
    // The classic confusion attack: HS256 keyed with the signer's public certificate.
    JWSHeader forged =
        new JWSHeader.Builder(JWSAlgorithm.HS256)
            .x509CertChain(JWSObject.parse(jws(bundle)).getHeader().getX509CertChain())
            .customParams(Map.of("sigT", "2025-06-02T09:30:00Z"))
            .build();
    JWSObject hmac = new JWSObject(forged, new Payload(CanonicalForm.of(bundle)));
    hmac.sign(new MACSigner(PKI.rsa().certificate().getEncoded()));
    setJws(bundle, hmac.serialize(true));

    assertThat(codes(verifier.verify(bundle))).containsExactly(ProblemCode.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void aSignatureWithoutCertificateChainIsMalformed() throws Exception {
    Bundle bundle = signedBy(PKI.rsa());
    JWSObject bare =
        new JWSObject(new JWSHeader(JWSAlgorithm.RS256), new Payload(CanonicalForm.of(bundle)));
    bare.sign(new RSASSASigner(TestPki.rsaKeys().getPrivate()));
    setJws(bundle, bare.serialize(true));

    assertThat(codes(verifier.verify(bundle))).containsExactly(ProblemCode.MALFORMED_SIGNATURE);
  }

  @Test
  void anAttachedPayloadOrGarbageIsMalformed() {
    Bundle attached = signedBy(PKI.rsa());
    String[] parts = jws(attached).split("\\.", -1);
    setJws(
        attached, parts[0] + "." + Base64URL.encode(CanonicalForm.of(attached)) + "." + parts[2]);
    Bundle garbage = signedBy(PKI.rsa());
    setJws(garbage, "not a JWS");

    assertThat(codes(verifier.verify(attached))).containsExactly(ProblemCode.MALFORMED_SIGNATURE);
    assertThat(codes(verifier.verify(garbage))).containsExactly(ProblemCode.MALFORMED_SIGNATURE);
  }

  @Test
  void anUnknownCriticalHeaderIsMalformed() throws Exception {
    Bundle bundle = signedBy(PKI.rsa());
    JWSHeader original = JWSObject.parse(jws(bundle)).getHeader();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .x509CertChain(original.getX509CertChain())
            .customParam("sigT", original.getCustomParam("sigT"))
            .customParam("srCms", original.getCustomParam("srCms"))
            .customParam("policy", "urn:example:policy")
            .criticalParams(java.util.Set.of("sigT", "srCms", "policy"))
            .build();
    setJws(
        bundle,
        DetachedJws.sign(
            header,
            TestPackets.payload(CanonicalForm.of(bundle)),
            Algorithms.jcaSigner(TestPki.rsaKeys().getPrivate(), JWSAlgorithm.RS256)));

    VerificationResult result = verifier.verify(bundle);

    assertThat(codes(result)).containsExactly(ProblemCode.MALFORMED_SIGNATURE);
    assertThat(result.problems().get(0).message()).contains("policy");
  }

  @Test
  void anUnsignedBundleHasNoSignature() {
    assertThat(codes(verifier.verify(TestPackets.document())))
        .containsExactly(ProblemCode.NO_SIGNATURE);
  }

  @Test
  void severalProblemsAreReportedTogether() {
    TestPki other = new TestPki("Unknown hospital");
    Bundle bundle = signedBy(other.rsa());
    bundle.getSignature().setWhen(Date.from(WHEN.plusSeconds(60)));
    bundle.setType(Bundle.BundleType.COLLECTION);

    assertThat(codes(verifier.verify(bundle)))
        .containsExactlyInAnyOrder(
            ProblemCode.UNTRUSTED_CHAIN, ProblemCode.SIGT_MISMATCH, ProblemCode.DIGEST_MISMATCH);
  }

  private static Bundle signedBy(SigningIdentity identity) {
    Bundle bundle = TestPackets.document();
    new BundleSigner(identity).sign(bundle, SignatureRole.AUTHOR, WHEN, new Reference("Device/x"));
    return bundle;
  }

  private static List<ProblemCode> codes(VerificationResult result) {
    return result.problems().stream().map(VerificationResult.Problem::code).toList();
  }

  private static String jws(Bundle bundle) {
    return new String(bundle.getSignature().getData(), StandardCharsets.US_ASCII);
  }

  private static void setJws(Bundle bundle, String jws) {
    Signature signature = bundle.getSignature();
    signature.setData(jws.getBytes(StandardCharsets.US_ASCII));
  }

  private static Map<String, Object> header(Bundle bundle) {
    try {
      return new java.util.HashMap<>(JWSObject.parse(jws(bundle)).getHeader().toJSONObject());
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }
}
