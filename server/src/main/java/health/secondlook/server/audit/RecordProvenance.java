package health.secondlook.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.secondlook.server.referral.ReferralTasks;
import java.time.Clock;
import java.util.Date;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * A Provenance for each record SecondLook makes itself, in the same transaction: the referral Task
 * and the signed documents (the packet, the review's feedback). It says SecondLook assembled the
 * record, when, and, for a signed document, who signed it. Copies of the EHR's records carry their
 * origin in {@code meta.source} instead.
 */
@Component
@Interceptor
class RecordProvenance {

  private static final String DATA_OPERATION =
      "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
  private static final String AGENT_TYPE =
      "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

  private final IFhirResourceDao<Provenance> provenances;
  private final Clock clock = Clock.systemUTC();

  RecordProvenance(IInterceptorService jpaInterceptorService, DaoRegistry daos) {
    this.provenances = daos.getResourceDao(Provenance.class);
    jpaInterceptorService.registerInterceptor(this);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  void created(IBaseResource resource) {
    if (!madeHere(resource)) {
      return;
    }
    Resource made = (Resource) resource;
    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(made.fhirType() + "/" + made.getIdElement().getIdPart()));
    provenance.setRecorded(Date.from(clock.instant()));
    provenance.setActivity(new CodeableConcept(new Coding(DATA_OPERATION, "CREATE", "create")));
    provenance
        .addAgent()
        .setType(new CodeableConcept(new Coding(AGENT_TYPE, "assembler", "Assembler")))
        .setWho(new Reference().setDisplay("SecondLook"));
    if (made instanceof Bundle bundle && bundle.hasSignature() && bundle.getSignature().hasWho()) {
      provenance
          .addAgent()
          .setType(new CodeableConcept(new Coding(AGENT_TYPE, "author", "Author")))
          .setWho(bundle.getSignature().getWho().copy());
    }
    provenances.create(provenance, new SystemRequestDetails());
  }

  private static boolean madeHere(IBaseResource resource) {
    if (resource instanceof Bundle bundle) {
      return bundle.getType() == Bundle.BundleType.DOCUMENT && bundle.hasSignature();
    }
    return resource instanceof Task task
        && task.getInput().stream()
            .anyMatch(i -> ReferralTasks.SOURCE_EHR_INPUT.equals(i.getType().getText()));
  }
}
