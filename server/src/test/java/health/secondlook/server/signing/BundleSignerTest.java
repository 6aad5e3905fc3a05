package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Signature;
import org.junit.jupiter.api.Test;

/** Signing a packet: CDex signature elements and JWS header, RS256 and ES256, read back by HAPI. */
class BundleSignerTest {

  private static final TestPki PKI = new TestPki("Signer test");
  private static final Instant WHEN = Instant.parse("2025-06-02T09:30:00.734Z");
  private static final Reference WHO = new Reference("Organization/secondlook");

  private final BundleVerifier verifier = new BundleVerifier(PKI.trust());

  @Test
  void rs256SignatureVerifies() {
    Bundle bundle = TestPackets.document();
    new BundleSigner(PKI.rsa()).sign(bundle, SignatureRole.AUTHOR, WHEN, WHO);

    VerificationResult result = verifier.verify(bundle);

    assertThat(result.problems()).isEmpty();
    assertThat(result.valid()).isTrue();
    assertThat(result.signerName()).isEqualTo("CN=Test packet signer,O=SecondLook tests");
    assertThat(result.signedAt()).isEqualTo(Instant.parse("2025-06-02T09:30:00Z"));
  }

  @Test
  void es256SignatureIsRawRAndSAndVerifies() throws Exception {
    Bundle bundle = TestPackets.document();
    Signature signature = new BundleSigner(PKI.ec()).sign(bundle, SignatureRole.AUTHOR, WHEN, WHO);

    JWSObject jws = JWSObject.parse(new String(signature.getData(), StandardCharsets.US_ASCII));
    assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    // JOSE's R‖S, 32 bytes each, not an ASN.1 DER sequence (which starts with 0x30 and varies).
    assertThat(jws.getSignature().decode()).hasSize(64);
    assertThat(verifier.verify(bundle).problems()).isEmpty();
  }

  @Test
  void signatureCarriesTheCdexElementsAndHeader() throws Exception {
    Bundle bundle = TestPackets.document();
    SigningIdentity identity = PKI.rsa();
    Signature signature = new BundleSigner(identity).sign(bundle, SignatureRole.AUTHOR, WHEN, WHO);

    assertThat(bundle.getSignature()).isSameAs(signature);
    assertThat(signature.getSigFormat()).isEqualTo("application/jose");
    assertThat(signature.getTargetFormat())
        .isEqualTo(
            "application/fhir+json;canonicalization=http://hl7.org/fhir/canonicalization/json#document");
    assertThat(signature.getType())
        .singleElement()
        .satisfies(
            type -> {
              assertThat(type.getSystem()).isEqualTo("urn:iso-astm:E1762-95:2013");
              assertThat(type.getCode()).isEqualTo("1.2.840.10065.1.12.1.1");
            });
    assertThat(signature.getWho().getReference()).isEqualTo("Organization/secondlook");
    assertThat(signature.getWhenElement().getValueAsString()).isEqualTo("2025-06-02T09:30:00Z");

    String compact = new String(signature.getData(), StandardCharsets.US_ASCII);
    assertThat(compact.split("\\.", -1))
        .hasSize(3)
        .contains("", org.assertj.core.data.Index.atIndex(1));
    Map<String, Object> header = JWSObject.parse(compact).getHeader().toJSONObject();
    assertThat(header)
        .containsEntry("alg", "RS256")
        .containsEntry("kid", Certificates.thumbprint(identity.certificate()))
        .containsEntry("sigT", "2025-06-02T09:30:00Z")
        .containsEntry(
            "srCms",
            List.of(
                Map.of(
                    "commId",
                    Map.of("id", "urn:oid:1.2.840.10065.1.12.1.1", "desc", "Author's Signature"))));
    assertThat(header).as("no crit: HAPI's validator rejects any").doesNotContainKey("crit");
    List<?> x5c = (List<?>) header.get("x5c");
    assertThat(x5c).hasSize(3);
    assertThat(
            com.nimbusds.jose.util.X509CertChainUtils.parse(
                    JWSObject.parse(compact).getHeader().getX509CertChain())
                .get(0))
        .isEqualTo(identity.certificate());
  }

  @Test
  void theSignatureCoversTheCanonicalFormOfTheBundle() throws Exception {
    Bundle bundle = TestPackets.document();
    Signature signature = new BundleSigner(PKI.rsa()).sign(bundle, SignatureRole.AUTHOR, WHEN, WHO);

    JWSObject detached =
        JWSObject.parse(new String(signature.getData(), StandardCharsets.US_ASCII));
    JWSObject attached =
        new JWSObject(
            detached.getHeader().toBase64URL(),
            Base64URL.encode(CanonicalForm.of(bundle)),
            detached.getSignature());

    assertThat(
            attached.verify(
                new RSASSAVerifier((RSAPublicKey) PKI.rsa().certificate().getPublicKey())))
        .isTrue();
  }

  @Test
  void signedJsonReadBackByHapiStillVerifies() {
    Bundle bundle = TestPackets.document();
    new BundleSigner(PKI.ec()).sign(bundle, SignatureRole.VERIFICATION, WHEN, WHO);
    String json = TestPackets.json(bundle);

    assertThat(verifier.verify(TestPackets.parse(json)).problems()).isEmpty();
    assertThat(verifier.verifyJson(json).problems()).isEmpty();
  }

  @Test
  void idMetaAndSignatureAreOutsideTheSignature() {
    Bundle bundle = TestPackets.document();
    new BundleSigner(PKI.rsa()).sign(bundle, SignatureRole.AUTHOR, WHEN, WHO);

    bundle.setId("stored-as-42");
    bundle.getMeta().setVersionId("3").setLastUpdated(new java.util.Date());
    bundle.getSignature().getWho().setDisplay("SecondLook");

    assertThat(verifier.verify(bundle).problems()).isEmpty();
  }

  @Test
  void entryIdsRepeatingTheirUrnFullUrlAreDroppedSoHapiReadersSeeTheSignedContent() {
    Bundle bundle = TestPackets.document();
    String uuid = UUID.randomUUID().toString();
    Observation observation = new Observation();
    observation.setId(uuid);
    observation.getCode().setText("Ki-67 30 %");
    bundle.addEntry().setFullUrl("urn:uuid:" + uuid).setResource(observation);

    new BundleSigner(PKI.rsa()).sign(bundle, SignatureRole.AUTHOR, WHEN, WHO);
    String json = TestPackets.json(bundle);

    assertThat(
            observation.hasIdElement() && !observation.getIdElement().getValue().startsWith("urn:"))
        .isFalse();
    assertThat(verifier.verify(TestPackets.parse(json)).problems()).isEmpty();
    assertThat(verifier.verifyJson(json).problems()).isEmpty();
  }
}
