package health.secondlook.server.terminology;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Installs the project's conformance content (review outcomes, packet items and the ValueSets that
 * classify pulled records, the patient Questionnaire) into the FHIR store at start, before the
 * application reports ready.
 *
 * <p>Each resource is written by its fixed id, so a restart updates in place: HAPI keeps the same
 * version when nothing changed and never creates a duplicate.
 */
@Component
class TerminologyInstaller implements SmartLifecycle {

  /** Starts before the embedded web server, whose lifecycle phase is DEFAULT_PHASE - 2048. */
  private static final int BEFORE_WEB_SERVER = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger log = LoggerFactory.getLogger(TerminologyInstaller.class);

  private final DaoRegistry daoRegistry;
  private final ITermDeferredStorageSvc deferredStorage;
  private final SiteContent siteContent;

  TerminologyInstaller(
      DaoRegistry daoRegistry, ITermDeferredStorageSvc deferredStorage, SiteContent siteContent) {
    this.siteContent = siteContent;
    this.daoRegistry = daoRegistry;
    this.deferredStorage = deferredStorage;
  }

  private volatile boolean running;

  @Override
  public int getPhase() {
    return BEFORE_WEB_SERVER;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public void start() {
    int changed = 0;
    int total = 0;
    for (IBaseResource resource : siteContent.terminology()) {
      if (install(resource)) {
        changed++;
      }
      total++;
    }
    // Store CodeSystem concepts now rather than on HAPI's background schedule, so $validate-code
    // and $expand answer correctly from the first request.
    deferredStorage.saveAllDeferred();
    log.info("Terminology: {} resources installed, {} new or changed", total, changed);
    running = true;
  }

  private <T extends IBaseResource> boolean install(T resource) {
    @SuppressWarnings("unchecked")
    IFhirResourceDao<T> dao = (IFhirResourceDao<T>) daoRegistry.getResourceDao(resource);
    DaoMethodOutcome outcome = dao.update(resource, new SystemRequestDetails());
    return !outcome.isNop();
  }
}
