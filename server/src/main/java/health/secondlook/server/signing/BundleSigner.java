package health.secondlook.server.signing;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Signature;

/**
 * Signs a packet the CDex way: {@code Bundle.signature} holds a detached compact JWS over the
 * {@link CanonicalForm} of the Bundle, with the signer's certificate chain ({@code x5c}), the
 * signing time ({@code sigT}, equal to {@code Signature.when}) and the commitment ({@code srCms},
 * equal to {@code Signature.type}) in its protected header.
 */
public final class BundleSigner {

  /** {@code Signature.sigFormat}. */
  public static final String SIG_FORMAT = "application/jose";

  static final String SIG_T = "sigT";
  static final String SR_CMS = "srCms";

  /**
   * The header parameters a verifier of SecondLook signatures understands when a JWS marks them
   * critical. SecondLook's own signatures do not: HAPI's validator (8.6), which many recipients
   * run, reads and checks {@code sigT} and {@code srCms} itself but rejects any JWS with a {@code
   * crit} header, so marking them would fail every packet there. Packets signed with {@code crit}
   * before still verify.
   */
  static final Set<String> CRITICAL = Set.of(SIG_T, SR_CMS);

  private final SigningIdentity identity;
  private final List<Base64> x5c;

  public BundleSigner(SigningIdentity identity) {
    this.identity = identity;
    try {
      // Refuses unfit keys (e.g. RSA under 2048 bits) now rather than at the first packet.
      Algorithms.signer(identity.key(), identity.alg());
      Algorithms.jcaSigner(identity.key(), identity.alg());
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
    }
    this.x5c = identity.chain().stream().map(BundleSigner::der).toList();
  }

  public SigningIdentity identity() {
    return identity;
  }

  /**
   * Signs the Bundle as it is now and sets {@code Bundle.signature}. Any later change to the Bundle
   * other than its {@code id} and {@code meta} breaks the signature.
   *
   * @param when the signing time, kept to the second so {@code sigT} and {@code Signature.when}
   *     read the same
   * @param who the signer: a reference to (or identifier of) a Practitioner, Organization or Device
   * @return the signature now in the Bundle
   */
  public Signature sign(Bundle bundle, SignatureRole role, Instant when, Reference who) {
    Instant sigT = when.truncatedTo(ChronoUnit.SECONDS);
    dropIdsRepeatingUrnFullUrls(bundle);
    JWSHeader header =
        new JWSHeader.Builder(identity.alg())
            .keyID(identity.keyId())
            .x509CertChain(x5c)
            .customParam(SIG_T, DateTimeFormatter.ISO_INSTANT.format(sigT))
            .customParam(SR_CMS, List.of(commitment(role)))
            .build();
    String jws;
    try {
      jws =
          DetachedJws.sign(
              header,
              sink -> CanonicalForm.writeTo(bundle, sink),
              Algorithms.jcaSigner(identity.key(), identity.alg()));
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
    Signature signature = new Signature();
    signature.addType(role.coding());
    InstantType whenElement =
        new InstantType(Date.from(sigT), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("UTC"));
    // "Z", as in sigT, so the two read the same to anyone comparing text.
    whenElement.setTimeZoneZulu(true);
    signature.setWhenElement(whenElement);
    signature.setWho(who);
    signature.setTargetFormat(CanonicalForm.TARGET_FORMAT);
    signature.setSigFormat(SIG_FORMAT);
    signature.setData(jws.getBytes(StandardCharsets.US_ASCII));
    bundle.setSignature(signature);
    return signature;
  }

  /** An IHE DSG JSON commitment type: {@code {"commId":{"id":"urn:oid:…","desc":"…"}}}. */
  static Map<String, Object> commitment(SignatureRole role) {
    return Map.of("commId", Map.of("id", "urn:oid:" + role.oid(), "desc", role.display()));
  }

  /**
   * HAPI's parser gives an entry resource whose id repeats the end of its {@code urn:} {@code
   * fullUrl} (e.g. id {@code X}, fullUrl {@code urn:uuid:X}) that whole URN as id, and then writes
   * no id: such a packet, once read by a HAPI-based receiver (or stored and served by SecondLook),
   * would no longer match its signature. The id adds nothing to the {@code fullUrl}, so it goes
   * before signing.
   */
  private static void dropIdsRepeatingUrnFullUrls(Bundle bundle) {
    List<Resource> repeating = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      String fullUrl = entry.getFullUrl();
      Resource resource = entry.getResource();
      if (fullUrl == null || resource == null || !resource.hasIdElement()) {
        continue;
      }
      String id = resource.getIdElement().getIdPart();
      if (fullUrl.startsWith("urn:") && (fullUrl.equals(id) || fullUrl.endsWith(":" + id))) {
        repeating.add(resource);
      }
    }
    repeating.forEach(resource -> resource.setIdElement(null));
  }

  private static Base64 der(X509Certificate certificate) {
    try {
      return Base64.encode(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException(
          "unreadable certificate " + certificate.getSubjectX500Principal(), e);
    }
  }
}
