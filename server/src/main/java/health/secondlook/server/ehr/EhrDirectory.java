package health.secondlook.server.ehr;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The referring EHRs configured under {@code secondlook.ehrs}: referral intake checks a request's
 * {@code source} here, and the pull reads the endpoint's limits and mapping from it.
 */
@Component
public class EhrDirectory {

  private final SortedMap<String, EhrEndpoint> endpoints;

  public EhrDirectory(EhrProperties properties) {
    SortedMap<String, EhrEndpoint> byName = new TreeMap<>();
    properties.ehrs().forEach((name, ehr) -> byName.put(name, EhrEndpoint.of(name, ehr)));
    this.endpoints = Collections.unmodifiableSortedMap(byName);
  }

  public Optional<EhrEndpoint> find(String name) {
    return Optional.ofNullable(endpoints.get(name));
  }

  /** Configured EHR names, sorted. */
  public Set<String> names() {
    return endpoints.keySet();
  }
}
