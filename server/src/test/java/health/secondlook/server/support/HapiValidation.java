package health.secondlook.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertChainUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.formats.IParser.OutputStyle;

/**
 * HAPI's instance validator against base R4, and its signature check (org.hl7.fhir.validation
 * 6.6.x, {@code BundleValidator.validateSignatureJose}) taken apart step by step, so a test can
 * tell why that check fails.
 *
 * <p>The check recomputes the signed bytes ({@code makeSignableBundle}: the element model's {@code
 * CANONICAL} JSON, without {@code Bundle.id}, {@code Bundle.meta} and {@code Bundle.signature} for
 * a {@code #document} canonicalization), puts their base64url between the JWS's header and
 * signature, and verifies that with a Nimbus {@code RSASSAVerifier} or {@code ECDSAVerifier} made
 * from the key of the first {@code x5c} certificate. It makes those verifiers without naming any
 * critical header parameter as understood, although it reads {@code sigT} and {@code srCms} and
 * checks them itself; Nimbus, as RFC 7515 section 4.1.11 asks, then rejects every JWS whose {@code
 * crit} lists a parameter it was not told of, whatever it signs.
 */
public final class HapiValidation {

  /**
   * The JAdES header parameters HAPI's check reads and checks itself: {@code sigT} against {@code
   * Signature.when}, {@code srCms} against {@code Signature.type}.
   */
  public static final Set<String> READ_BY_HAPI = Set.of("sigT", "srCms");

  /** HAPI's message when the signature does not verify against the {@code x5c} certificate. */
  public static final String SIG_FAIL_CERT = "BUNDLE_SIGNATURE_SIG_FAIL_CERT";

  private static final FhirContext CTX = FhirContext.forR4Cached();
  private static FhirValidator validator;
  private static IWorkerContext worker;

  private HapiValidation() {}

  /** HAPI's instance validator with base R4 only: profiles, snapshots, built-in terminology. */
  public static synchronized FhirValidator validator() {
    if (validator == null) {
      ValidationSupportChain support =
          new ValidationSupportChain(
              new DefaultProfileValidationSupport(CTX),
              new InMemoryTerminologyServerValidationSupport(CTX),
              new CommonCodeSystemsTerminologyService(CTX),
              new SnapshotGeneratingValidationSupport(CTX));
      validator = CTX.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
    }
    return validator;
  }

  /**
   * The bytes HAPI's check takes the Bundle's signature to cover, made as its {@code
   * makeSignableBundle} makes them from the JSON the validator is given.
   */
  public static byte[] signableBytes(Bundle bundle) {
    try {
      byte[] json =
          CTX.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
      Element element =
          Manager.parseSingle(worker(), new ByteArrayInputStream(json), FhirFormat.JSON);
      ParserBase parser = Manager.makeParser(worker(), FhirFormat.JSON);
      String root = element.getPath();
      String targetFormat = bundle.getSignature().getTargetFormat();
      if (targetFormat != null && targetFormat.endsWith("#document")) {
        parser.setCanonicalFilter(root + ".id", root + ".meta", root + ".signature");
      } else {
        parser.setCanonicalFilter(root + ".signature");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      parser.compose(element, out, OutputStyle.CANONICAL, null);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the Bundle's JWS verifies, as in HAPI's check, over {@link #signableBytes} with the key
   * of its first {@code x5c} certificate, by a Nimbus verifier told that the given critical header
   * parameters are understood (HAPI tells it of none).
   */
  public static boolean verifiesOverSignableBytes(Bundle bundle, Set<String> understood) {
    String[] parts =
        new String(bundle.getSignature().getData(), StandardCharsets.US_ASCII).split("\\.", -1);
    try {
      JWSObject jws =
          JWSObject.parse(
              parts[0] + "." + Base64URL.encode(signableBytes(bundle)) + "." + parts[2]);
      PublicKey key =
          X509CertChainUtils.parse(jws.getHeader().getX509CertChain()).get(0).getPublicKey();
      JWSVerifier verifier =
          key instanceof RSAPublicKey rsa
              ? new RSASSAVerifier(rsa, understood)
              : new ECDSAVerifier((ECPublicKey) key, understood);
      return jws.verify(verifier);
    } catch (ParseException | JOSEException e) {
      return false;
    }
  }

  /**
   * Whether HAPI's check fails on this Bundle for its critical header parameters alone: its JWS
   * marks only parameters HAPI reads itself as critical, and verifies over HAPI's own signable
   * bytes, with HAPI's own choice of key, once Nimbus is told HAPI understands them.
   */
  public static boolean failsOnlyForCriticalHeaders(Bundle bundle) {
    if (!bundle.hasSignature() || !bundle.getSignature().hasData()) {
      return false;
    }
    Set<String> critical;
    try {
      critical =
          JWSObject.parse(new String(bundle.getSignature().getData(), StandardCharsets.US_ASCII))
              .getHeader()
              .getCriticalParams();
    } catch (ParseException e) {
      return false;
    }
    return critical != null
        && !critical.isEmpty()
        && READ_BY_HAPI.containsAll(critical)
        && !verifiesOverSignableBytes(bundle, Set.of())
        && verifiesOverSignableBytes(bundle, critical);
  }

  private static synchronized IWorkerContext worker() {
    if (worker == null) {
      worker =
          WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(
              new DefaultProfileValidationSupport(CTX));
    }
    return worker;
  }
}
