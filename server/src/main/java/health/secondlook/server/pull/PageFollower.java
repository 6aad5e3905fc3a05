package health.secondlook.server.pull;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Runs one {@link EhrRequest} to the end for the {@code ehr-fetch-pages} route: a search is
 * followed through every page the EHR offers, each page a separately retried request.
 */
@Component
class PageFollower {

  private final ProducerTemplate producer;
  private final RunningPulls running;

  PageFollower(ProducerTemplate producer, RunningPulls running) {
    this.producer = producer;
    this.running = running;
  }

  @Handler
  List<Resource> fetch(EhrRequest request, Exchange exchange) {
    PullProgress progress =
        running.progress(exchange.getIn().getHeader(PullRoutes.TASK_ID_HEADER, String.class));
    List<Resource> resources = new ArrayList<>();
    EhrRequest next = request;
    while (next != null) {
      IBaseResource result;
      try {
        result = producer.requestBody(PullRoutes.REQUEST, next, IBaseResource.class);
      } catch (CamelExecutionException e) {
        throw new PullRequestFailedException(next, e.getCause() != null ? e.getCause() : e);
      }
      progress.countRequest();
      next = null;
      if (result instanceof Bundle page) {
        for (Bundle.BundleEntryComponent entry : page.getEntry()) {
          // Included OperationOutcomes describe the search, they are not records.
          if (entry.hasResource()
              && entry.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME) {
            resources.add(entry.getResource());
            progress.countResource(entry.getResource().fhirType());
          }
        }
        if (page.getLink(Bundle.LINK_NEXT) != null) {
          next = EhrRequest.search(request.ehr(), page.getLink(Bundle.LINK_NEXT).getUrl());
        }
      } else if (result instanceof Resource resource) {
        resources.add(resource);
        progress.countResource(resource.fhirType());
      }
    }
    return resources;
  }
}
