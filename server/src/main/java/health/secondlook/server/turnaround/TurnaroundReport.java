package health.secondlook.server.turnaround;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Task;

/**
 * Reads every referral Task ({@code code=fulfill}) from the FHIR store and works out its turnaround
 * from the status history stored on it. Nothing is kept in memory between reads, so the figures
 * after a restart are the figures before it.
 */
class TurnaroundReport {

  private static final String TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code";
  private static final int PAGE = 500;

  private final IFhirResourceDao<Task> tasks;
  private final Set<String> recipients;
  private final Clock clock;
  private final ZoneId zone;

  TurnaroundReport(DaoRegistry daoRegistry, Set<String> recipients, Clock clock) {
    this.tasks = daoRegistry.getResourceDao(Task.class);
    this.recipients = Set.copyOf(recipients);
    this.clock = clock;
    this.zone = clock.getZone();
  }

  /** Every referral as stored now. */
  Snapshot load() {
    Instant at = clock.instant();
    List<Referral> referrals = new ArrayList<>();
    // Synchronous searches skip HAPI's search cache, which would answer with a minute-old result.
    for (int offset = 0; ; offset += PAGE) {
      SearchParameterMap search = SearchParameterMap.newSynchronous();
      search.add(Task.SP_CODE, new TokenParam(TASK_CODE_SYSTEM, "fulfill"));
      search.setSort(new SortSpec("_id"));
      search.setOffset(offset);
      search.setCount(PAGE);
      List<IBaseResource> page = tasks.search(search, new SystemRequestDetails()).getAllResources();
      for (IBaseResource task : page) {
        referrals.add(Referral.of((Task) task, recipients, zone));
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    return new Snapshot(at, List.copyOf(referrals), recipients);
  }

  /** The referrals at one moment, with their turnaround overall and per recipient. */
  record Snapshot(Instant at, List<Referral> referrals, Set<String> recipients) {

    TurnaroundFigures all() {
      return TurnaroundFigures.of(referrals, at);
    }

    TurnaroundFigures forRecipient(String recipient) {
      return TurnaroundFigures.of(
          referrals.stream().filter(r -> r.recipient().equals(recipient)).toList(), at);
    }

    /** Every configured recipient (with or without referrals) and {@code none}/{@code other}. */
    Map<String, TurnaroundFigures> byRecipient() {
      Set<String> names = new TreeSet<>(recipients);
      referrals.forEach(r -> names.add(r.recipient()));
      Map<String, TurnaroundFigures> figures = new LinkedHashMap<>();
      names.forEach(name -> figures.put(name, forRecipient(name)));
      return figures;
    }
  }
}
