package health.secondlook.sandbox;

import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * A resource type outside any patient's compartment (staff, organisations, endpoints, binaries):
 * read by reference while pulling, searched only by {@code _id}.
 */
public class IdSearchProvider<T extends Resource> extends InMemoryResourceProvider<T> {

  public IdSearchProvider(Class<T> type) {
    super(type);
  }

  @Search
  public List<T> search(@OptionalParam(name = "_id") TokenOrListParam ids) {
    return matching(resource -> hasId(resource, ids));
  }
}
