package health.secondlook.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.Collection;

/**
 * The sandbox referring EHR as a servlet: a plain HAPI FHIR R4 server over {@link SandboxEhr}. In
 * demo mode SecondLook mounts it at {@code /sandbox-ehr/fhir/*} and pulls from it over HTTP exactly
 * as it pulls from a real EHR.
 */
public class SandboxEhrServer extends RestfulServer {

  private final SandboxEhr ehr;

  /** The four {@link SyntheticCancerPatients#all() synthetic patients}, default page size. */
  public SandboxEhrServer() {
    this(SandboxEhr.DEFAULT_PAGE_SIZE, SyntheticCancerPatients.all());
  }

  public SandboxEhrServer(int defaultPageSize, Collection<SyntheticPatient> patients) {
    super(FhirContext.forR4Cached());
    ehr = new SandboxEhr(getFhirContext(), defaultPageSize).seed(patients);
    ehr.installInto(this);
  }

  /** Adds patients, e.g. a {@link SyntheticCancerPatients#withVolume volume record}. */
  public SandboxEhrServer seed(Collection<SyntheticPatient> patients) {
    ehr.seed(patients);
    return this;
  }
}
