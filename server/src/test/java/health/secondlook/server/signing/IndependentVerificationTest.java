package health.secondlook.server.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.erdtman.jcs.JsonCanonicalizer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A specialist's system that knows nothing of SecondLook can verify a packet given only the Bundle
 * JSON and the CA certificate: this test does so with another JOSE library (jose4j), its own
 * canonicalisation (Jackson, then {@code JsonCanonicalizer} on the text) and the JDK's PKIX
 * validator. None of SecondLook's signing classes takes part after the packet is signed.
 */
class IndependentVerificationTest {

  private static final TestPki PKI = new TestPki("Independent test");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256"})
  void aPacketVerifiesWithOnlyItsJsonAndTheCaCertificate(String alg) throws Exception {
    String packetJson = signedPacketJson(alg);
    String caPem = Certificates.pem(List.of(PKI.root.certificate()));

    assertThat(verifyIndependently(packetJson, caPem)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256"})
  void aChangedPacketFailsIndependentVerification(String alg) throws Exception {
    String packetJson =
        signedPacketJson(alg)
            .replace(
                "\"title\":\"Second opinion request\"", "\"title\":\"Second opinion requested\"");
    String caPem = Certificates.pem(List.of(PKI.root.certificate()));

    assertThat(verifyIndependently(packetJson, caPem)).isFalse();
  }

  private static String signedPacketJson(String alg) {
    Bundle bundle = TestPackets.document();
    SigningIdentity identity = alg.equals("RS256") ? PKI.rsa() : PKI.ec();
    new BundleSigner(identity)
        .sign(bundle, SignatureRole.AUTHOR, TestPki.NOW, new Reference("Organization/referrer"));
    return TestPackets.json(bundle);
  }

  /** What the receiving side does, from the JSON text and the CA's PEM alone. */
  private static boolean verifyIndependently(String packetJson, String caPem) throws Exception {
    ObjectNode bundle = (ObjectNode) JSON.readTree(packetJson);
    JsonNode signature = bundle.get("signature");
    assertThat(signature.get("sigFormat").asText()).isEqualTo("application/jose");
    String compactJws =
        new String(
            Base64.getDecoder().decode(signature.get("data").asText()), StandardCharsets.US_ASCII);

    // Canonical form: the Bundle without id, meta and signature, RFC 8785.
    bundle.remove(List.of("id", "meta", "signature"));
    byte[] canonical = new JsonCanonicalizer(JSON.writeValueAsString(bundle)).getEncodedUTF8();

    JsonWebSignature jws = new JsonWebSignature();
    jws.setAlgorithmConstraints(
        new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
    jws.setCompactSerialization(compactJws);
    // Detached content: the signing input is BASE64URL(header) "." BASE64URL(canonical form).
    jws.setEncodedPayload(Base64.getUrlEncoder().withoutPadding().encodeToString(canonical));

    List<X509Certificate> chain = jws.getCertificateChainHeaderValue();
    Instant sigT = Instant.parse(jws.getHeader("sigT"));
    assertThat(sigT).isEqualTo(Instant.parse(signature.get("when").asText()));
    assertThat(jws.getHeaders().getObjectHeaderValue("srCms").toString())
        .contains("urn:oid:1.2.840.10065.1.12.1.1");

    CertificateFactory certificates = CertificateFactory.getInstance("X.509");
    X509Certificate ca =
        (X509Certificate)
            certificates.generateCertificate(
                new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
    CertPath path = certificates.generateCertPath(chain.subList(0, chain.size() - 1));
    PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    pkix.setRevocationEnabled(false);
    pkix.setDate(Date.from(sigT));
    CertPathValidator.getInstance("PKIX").validate(path, pkix);
    assertThat(chain.get(0).getKeyUsage()[0]).as("digitalSignature").isTrue();

    jws.setKey(chain.get(0).getPublicKey());
    return jws.verifySignature();
  }
}
