package health.secondlook.server.referral;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import health.secondlook.server.fhir.DocumentedOperation;
import health.secondlook.server.fhir.FhirOperationProvider;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * The referring team's entry points, stable for integrators and SecondLook's own pages:
 *
 * <ul>
 *   <li>{@code POST /fhir/ServiceRequest/$request-second-opinion} stores a referral and returns its
 *       ServiceRequest and Task ({@code status=requested}) at once; the records pull runs
 *       afterwards;
 *   <li>{@code POST /fhir/Task/{id}/$rerun-pull} pulls the records again, e.g. after the referrer
 *       added what the completeness report said was missing.
 * </ul>
 */
@Component
class SecondOpinionOperations implements FhirOperationProvider {

  private final SecondOpinionRequestParser parser;
  private final ReferralService referrals;
  private final PullRequeue requeue;

  SecondOpinionOperations(
      SecondOpinionRequestParser parser, ReferralService referrals, PullRequeue requeue) {
    this.parser = parser;
    this.referrals = referrals;
    this.requeue = requeue;
  }

  @Override
  public List<DocumentedOperation> documentedOperations() {
    return List.of(SecondOpinionInputs.OPERATION);
  }

  @Operation(name = "$request-second-opinion", type = ServiceRequest.class)
  @Description(
      shortDefinition = "Ask for a second opinion",
      value =
          "Stores a second-opinion referral and returns its ServiceRequest and Task (status"
              + " requested) as the parameters serviceRequest and task; the records are pulled"
              + " from the referring EHR afterwards. Problems are refused with a 4xx"
              + " OperationOutcome naming each parameter.")
  public Parameters requestSecondOpinion(@ResourceParam Parameters parameters) {
    Referral referral = referrals.submit(parser.parse(parameters));
    Parameters result = new Parameters();
    result.addParameter().setName("serviceRequest").setResource(referral.serviceRequest());
    result.addParameter().setName("task").setResource(referral.task());
    return result;
  }

  @Operation(name = "$rerun-pull", type = Task.class)
  @Description(
      shortDefinition = "Pull the referral's records again",
      value = "Pulls the records again, e.g. after the referrer added what was missing.")
  public Task rerunPull(@IdParam IdType taskId) {
    return requeue.requeue(taskId);
  }
}
