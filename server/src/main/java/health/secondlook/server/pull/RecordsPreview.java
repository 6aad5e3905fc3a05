package health.secondlook.server.pull;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.mappings.CompletenessReport;
import health.secondlook.mappings.MappingProfile;
import health.secondlook.server.ehr.EhrClients;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.ehr.EhrEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * What a referral's packet would carry, checked on the EHR's live data before anything is sent:
 * runs the EHR's mapping-profile searches with the signed-in user's own access token, keeps what is
 * in the patient's compartment, and assesses completeness as the pull will. Nothing is stored. The
 * pull itself, once the referral is sent, also follows references (attachments, stage assessments,
 * practitioners), so it may find a little more than the preview, never less.
 */
@Component
public class RecordsPreview {

  /** Stops a patient with a vast record from holding the page: the pull has no such limit. */
  static final int MAX_PAGES_PER_SEARCH = 20;

  private final EhrDirectory ehrs;
  private final PullMappings mappings;

  RecordsPreview(EhrDirectory ehrs, PullMappings mappings) {
    this.ehrs = ehrs;
    this.mappings = mappings;
  }

  /**
   * @param report completeness, item by item, as the pull would assess it
   * @param records the resources found, by {@code Type/id}
   */
  public record Preview(CompletenessReport report, Map<String, Resource> records) {}

  /**
   * @param accessToken the user's token from the launch, sent as the bearer token
   * @throws ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException when the EHR refuses
   */
  public Preview preview(String ehrName, String patientId, String accessToken) {
    EhrEndpoint ehr =
        ehrs.find(ehrName)
            .orElseThrow(() -> new IllegalArgumentException("no EHR named " + ehrName));
    PullMappings.Engine engine = mappings.forProfile(ehr.mapping());
    IGenericClient client =
        EhrClients.plainClient(
            ehr.baseUrl(), accessToken, ehr.limits().connectTimeout(), ehr.limits().readTimeout());
    List<MappingProfile.Search> searches = engine.profile().searches();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, ehr.limits().maxConcurrency()));
    try {
      List<CompletableFuture<List<Resource>>> running = new ArrayList<>();
      for (MappingProfile.Search search : searches) {
        running.add(CompletableFuture.supplyAsync(() -> run(client, search, ehr, patientId), pool));
      }
      Map<String, Resource> found = new LinkedHashMap<>();
      for (CompletableFuture<List<Resource>> search : running) {
        for (Resource resource : search.join()) {
          if (PatientCompartment.belongs(
              resource, patientId, ehr.limits().maxBinaryBytes().toBytes())) {
            found.putIfAbsent(resource.fhirType() + "/" + resource.getIdPart(), resource);
          }
        }
      }
      return new Preview(engine.assessor().assess(found.values(), true), found);
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Resource> run(
      IGenericClient client, MappingProfile.Search search, EhrEndpoint ehr, String patientId) {
    List<Resource> resources = new ArrayList<>();
    if (search.interaction() == MappingProfile.Interaction.READ) {
      String[] typeAndId = search.request(patientId).split("/", 2);
      resources.add((Resource) client.read().resource(typeAndId[0]).withId(typeAndId[1]).execute());
      return resources;
    }
    String query = PullRunner.withPageSize(search.request(patientId), ehr.limits().pageSize());
    Bundle page = client.search().byUrl(query).returnBundle(Bundle.class).execute();
    for (int pages = 1; page != null; pages++) {
      page.getEntry().stream()
          .filter(
              e ->
                  e.hasResource()
                      && (!e.hasSearch()
                          || e.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME))
          .forEach(e -> resources.add(e.getResource()));
      page =
          page.getLink(Bundle.LINK_NEXT) != null && pages < MAX_PAGES_PER_SEARCH
              ? client.loadPage().next(page).execute()
              : null;
    }
    return resources;
  }
}
