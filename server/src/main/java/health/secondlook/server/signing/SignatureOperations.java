package health.secondlook.server.signing;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.secondlook.server.fhir.FhirOperationProvider;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

/**
 * {@code $verify-signature}: checks a packet's signature for the specialist's side or any client.
 *
 * <ul>
 *   <li>{@code GET|POST /fhir/Bundle/{id}/$verify-signature} verifies a stored Bundle;
 *   <li>{@code POST /fhir/Bundle/$verify-signature} verifies the posted Bundle, sent as it is or as
 *       the {@code resource} parameter of a Parameters.
 * </ul>
 *
 * It answers a Parameters: {@code valid}, a {@code problem} (with {@code code} and {@code message})
 * per reason it is not, the {@code signer}'s subject and {@code sigT}. An invalid signature is a
 * result, not an error.
 */
@Component
class SignatureOperations implements FhirOperationProvider {

  static final String OPERATION = "$verify-signature";

  private final BundleVerifier verifier;
  private final DaoRegistry daos;

  SignatureOperations(BundleVerifier verifier, DaoRegistry daos) {
    this.verifier = verifier;
    this.daos = daos;
  }

  @Operation(name = OPERATION, type = Bundle.class, idempotent = true)
  @Description(
      shortDefinition = "Verify a packet's signature",
      value =
          "Checks the signature of a stored Bundle, or of the posted one; answers valid, a"
              + " problem per reason it is not, the signer and sigT.")
  public Parameters verifyStored(@IdParam IdType id, RequestDetails request) {
    return parameters(verifier.verify(daos.getResourceDao(Bundle.class).read(id, request)));
  }

  @Operation(name = OPERATION, type = Bundle.class)
  public Parameters verifyPosted(@ResourceParam IBaseResource body) {
    return parameters(verifier.verify(bundleIn(body)));
  }

  private static Bundle bundleIn(IBaseResource body) {
    if (body instanceof Bundle bundle) {
      return bundle;
    }
    if (body instanceof Parameters parameters
        && parameters.getParameter("resource") != null
        && parameters.getParameter("resource").getResource() instanceof Bundle bundle) {
      return bundle;
    }
    throw new InvalidRequestException(
        OPERATION + " needs a Bundle: post it, or post a Parameters with the Bundle as 'resource'");
  }

  static Parameters parameters(VerificationResult result) {
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("valid").setValue(new BooleanType(result.valid()));
    for (VerificationResult.Problem problem : result.problems()) {
      Parameters.ParametersParameterComponent part = parameters.addParameter().setName("problem");
      part.addPart().setName("code").setValue(new CodeType(problem.code().code()));
      part.addPart().setName("message").setValue(new StringType(problem.message()));
    }
    if (result.signer() != null) {
      parameters.addParameter().setName("signer").setValue(new StringType(result.signerName()));
    }
    if (result.signedAt() != null) {
      InstantType sigT =
          new InstantType(
              Date.from(result.signedAt()),
              TemporalPrecisionEnum.SECOND,
              TimeZone.getTimeZone("UTC"));
      sigT.setTimeZoneZulu(true);
      parameters.addParameter().setName("sigT").setValue(sigT);
    }
    return parameters;
  }
}
