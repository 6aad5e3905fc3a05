package health.secondlook.sandbox;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Versioned in-memory storage of one resource type with the FHIR interactions a referring EHR
 * offers: read, vread, create, update with a client-assigned id, and delete, and the conditional
 * forms a write-back relies on: create with {@code If-None-Exist: identifier=…} (the existing
 * resource is returned, nothing is made) and update by {@code Type?identifier=…} (the one match is
 * updated, or a new resource made). Subclasses add the searches that suit their type. Every
 * resource handed out is a copy, so callers never share state with the store.
 *
 * <p>Written instead of extending HAPI's {@code HashMapResourceProvider}: in HAPI 8.6.5 its
 * search-all method accepts unknown parameters, and when a subclass's search with optional
 * parameters matches equally well HAPI picks the superclass method (bound first), so {@code
 * Observation?patient=x} would silently return every patient's Observations.
 */
public abstract class InMemoryResourceProvider<T extends Resource> implements IResourceProvider {

  private final Class<T> type;

  /** Versions of each id, oldest first; a {@code null} version records a delete. */
  private final Map<String, List<T>> versions = new LinkedHashMap<>();

  private long nextServerId = 1;

  protected InMemoryResourceProvider(Class<T> type) {
    this.type = type;
  }

  @Override
  public Class<T> getResourceType() {
    return type;
  }

  @Read(version = true)
  public synchronized T read(@IdParam IdType id) {
    List<T> history = versions.get(id.getIdPart());
    if (history == null || history.isEmpty()) {
      throw new ResourceNotFoundException(id);
    }
    int version = id.hasVersionIdPart() ? parseVersion(id) : history.size();
    if (version < 1 || version > history.size()) {
      throw new ResourceNotFoundException(id);
    }
    T found = history.get(version - 1);
    if (found == null) {
      throw new ResourceGoneException(id);
    }
    return copy(found);
  }

  /**
   * @param ifNoneExist the {@code If-None-Exist} header, if any: when one resource matches it, that
   *     resource is returned (200) and nothing is stored
   */
  @Create
  public synchronized MethodOutcome create(
      @ResourceParam T resource, @ConditionalUrlParam String ifNoneExist) {
    if (ifNoneExist != null) {
      Optional<T> existing = single(ifNoneExist);
      if (existing.isPresent()) {
        return new MethodOutcome(existing.get().getIdElement(), false).setResource(existing.get());
      }
    }
    T stored = put(newId(), resource);
    return new MethodOutcome(stored.getIdElement(), true).setResource(copy(stored));
  }

  /**
   * @param conditionalUrl {@code Type?identifier=…} for a conditional update: the one match is
   *     updated, or, with none, a new resource is made
   */
  @Update
  public synchronized MethodOutcome update(
      @IdParam IdType id, @ResourceParam T resource, @ConditionalUrlParam String conditionalUrl) {
    String target =
        conditionalUrl == null
            ? id.getIdPart()
            : single(conditionalUrl).map(Resource::getIdPart).orElse(null);
    boolean created = target == null || find(target).isEmpty();
    T stored = put(target == null ? newId() : target, resource);
    return new MethodOutcome(stored.getIdElement(), created).setResource(copy(stored));
  }

  /**
   * The one live resource that meets a conditional request's condition, if any.
   *
   * @throws PreconditionFailedException when several do, as FHIR requires (412)
   */
  synchronized Optional<T> single(String conditionalUrl) {
    IdentifierCondition condition = IdentifierCondition.parse(conditionalUrl);
    List<T> matches = matching(condition::matches);
    if (matches.size() > 1) {
      throw new PreconditionFailedException(
          matches.size()
              + " "
              + type.getSimpleName()
              + " resources match "
              + conditionalUrl
              + "; a conditional request needs at most one");
    }
    return matches.stream().findFirst();
  }

  /** A server-assigned id no resource of this type has had. */
  synchronized String newId() {
    String id;
    do {
      id = Long.toString(nextServerId++);
    } while (versions.containsKey(id));
    // reserved, so two creates in one transaction do not get the same id
    versions.put(id, new ArrayList<>());
    return id;
  }

  @Delete
  public synchronized MethodOutcome delete(@IdParam IdType id) {
    if (find(id.getIdPart()).isEmpty()) {
      throw new ResourceNotFoundException(id);
    }
    List<T> history = versions.get(id.getIdPart());
    history.add(null);
    return new MethodOutcome(
        new IdType(type.getSimpleName(), id.getIdPart(), Integer.toString(history.size())));
  }

  /** Stores a resource under its own id, as a new version if the id is taken. */
  public synchronized void store(T resource) {
    put(resource.getIdElement().getIdPart(), resource);
  }

  /** Stores a resource under the given id, as a new version if the id is taken. */
  synchronized T storeAs(String id, Resource resource) {
    return copy(put(id, type.cast(resource)));
  }

  /** The current version of a live resource. */
  synchronized Optional<T> find(String id) {
    List<T> history = versions.get(id);
    return history == null || history.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(history.get(history.size() - 1)).map(this::copy);
  }

  /** Current versions of live resources that match, in the order they were first stored. */
  protected synchronized List<T> matching(Predicate<T> filter) {
    List<T> result = new ArrayList<>();
    for (List<T> history : versions.values()) {
      if (history.isEmpty()) {
        continue; // an id reserved by newId(), not stored yet
      }
      T current = history.get(history.size() - 1);
      if (current != null && filter.test(current)) {
        result.add(copy(current));
      }
    }
    return result;
  }

  /** Whether {@code _id} is absent or lists the resource's id. */
  protected static boolean hasId(Resource resource, TokenOrListParam ids) {
    return ids == null
        || ids.getValuesAsQueryTokens().stream()
            .anyMatch(
                token -> new IdType(token.getValue()).getIdPart().equals(resource.getIdPart()));
  }

  private T put(String id, T resource) {
    List<T> history = versions.computeIfAbsent(id, ignored -> new ArrayList<>());
    T stored = copy(resource);
    String version = Integer.toString(history.size() + 1);
    stored.setId(new IdType(type.getSimpleName(), id, version));
    stored.getMeta().setVersionId(version).setLastUpdated(new Date());
    history.add(stored);
    return stored;
  }

  private static int parseVersion(IdType id) {
    try {
      return Integer.parseInt(id.getVersionIdPart());
    } catch (NumberFormatException e) {
      throw new ResourceNotFoundException(id);
    }
  }

  @SuppressWarnings("unchecked")
  private T copy(T resource) {
    return (T) resource.copy();
  }
}
