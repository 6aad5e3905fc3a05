package health.secondlook.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * HAPI's instance validator against base R4, and the bytes its signature check
 * (org.hl7.fhir.validation 6.6.x, {@code BundleValidator.validateSignatureJose}) takes a Bundle's
 * signature to cover: its {@code makeSignableBundle}, the element model's {@code CANONICAL} JSON
 * without {@code Bundle.id}, {@code Bundle.meta} and {@code Bundle.signature} for a {@code
 * #document} canonicalization.
 */
public final class HapiValidation {

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

  private static synchronized IWorkerContext worker() {
    if (worker == null) {
      worker =
          WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(
              new DefaultProfileValidationSupport(CTX));
    }
    return worker;
  }
}
