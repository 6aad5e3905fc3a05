package health.secondlook.server.turnaround;

import ca.uhn.fhir.batch2.coordinator.JobDefinitionRegistry;
import ca.uhn.fhir.batch2.jobs.reindex.ReindexJobParameters;
import ca.uhn.fhir.batch2.model.JobDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Makes HAPI's reindex job known before the terminology installer runs, so it can store the {@code
 * due-date} SearchParameter ({@code terminology/SearchParameter-task-due-date.json}). Storing a new
 * or changed SearchParameter starts a job that indexes the Tasks already stored (after an upgrade,
 * or when a site changes the parameter), but HAPI registers its job definitions only once the
 * application context has been refreshed, after the installer. HAPI's JPA starter project does the
 * same for the packages it installs at start.
 */
@Component
class EarlyReindexJob {

  EarlyReindexJob(
      JobDefinitionRegistry registry,
      ObjectProvider<JobDefinition<ReindexJobParameters>> reindexJobs) {
    reindexJobs.orderedStream().forEach(registry::addJobDefinitionIfNotRegistered);
  }
}
