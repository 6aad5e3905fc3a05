package health.secondlook.sandbox.recipient;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.util.UrlUtil;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the sandbox recipient holds: the current version of each resource, by type and id, in
 * memory. Callers that write several resources as one unit (a transaction, a message) hold the
 * store's lock for the whole unit, so two copies of one delivery arriving at once cannot both
 * create.
 */
final class RecipientStore {

  /** The resource types a specialist's system needs to receive a second-opinion referral. */
  static final Set<String> TYPES =
      Set.of("Bundle", "Task", "ServiceRequest", "Patient", "MessageHeader");

  /** FHIR's parameters about the response, which clients may add to any URL. */
  private static final Set<String> RESULT_PARAMETERS = Set.of("_format", "_pretty", "_summary");

  private final FhirContext context;
  private final Map<String, Map<String, Resource>> byType = new LinkedHashMap<>();
  private long nextId = 1;

  RecipientStore(FhirContext context) {
    this.context = context;
    TYPES.forEach(type -> byType.put(type, new LinkedHashMap<>()));
  }

  synchronized Optional<Resource> read(String type, String id) {
    return Optional.ofNullable(store(type).get(id)).map(Resource::copy);
  }

  synchronized List<Resource> matching(String type, Predicate<Resource> filter) {
    return store(type).values().stream().filter(filter).map(Resource::copy).toList();
  }

  /** A new server-assigned id, never handed out twice. */
  synchronized String newId(String type) {
    String id;
    do {
      id = Long.toString(nextId++);
    } while (store(type).containsKey(id));
    return id;
  }

  /** Stores the resource under {@code id}, as the next version if the id is taken. */
  synchronized Resource put(String type, String id, Resource resource) {
    Resource stored = resource.copy();
    unlink(stored);
    Resource previous = store(type).get(id);
    int version = previous == null ? 1 : Integer.parseInt(previous.getMeta().getVersionId()) + 1;
    stored.setId(new IdType(type, id, Integer.toString(version)));
    stored.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(new Date());
    store(type).put(id, stored);
    return stored.copy();
  }

  /**
   * HAPI's parser links each reference to the object it resolves to within a Bundle; once copied,
   * those links point outside the stored resource, and the server's encoder then writes the target
   * as a contained resource, which would change a signed packet. The reference strings are what is
   * stored, in nested Bundle entries too.
   */
  private void unlink(Resource resource) {
    context
        .newTerser()
        .getAllPopulatedChildElementsOfType(resource, Reference.class)
        .forEach(r -> r.setResource(null));
    if (resource instanceof Bundle bundle) {
      bundle.getEntry().stream()
          .map(Bundle.BundleEntryComponent::getResource)
          .filter(Objects::nonNull)
          .forEach(this::unlink);
    }
  }

  /**
   * Ids of the resources a conditional URL's query ({@code identifier=system|value}, {@code _id=x})
   * selects; anything else is refused, since the sandbox cannot honour it.
   */
  synchronized List<String> select(String type, String query) {
    Map<String, String[]> parameters = UrlUtil.parseQueryString(query);
    if (parameters.keySet().stream().allMatch(RESULT_PARAMETERS::contains)) {
      throw new InvalidRequestException("A conditional request needs search parameters: " + query);
    }
    List<Predicate<Resource>> filters = new ArrayList<>();
    parameters.forEach(
        (name, values) -> {
          if (RESULT_PARAMETERS.contains(name)) {
            return; // how to answer, not what to select
          }
          for (String value : values) {
            switch (name) {
              case "identifier" -> filters.add(r -> hasIdentifier(r, value));
              case "_id" -> filters.add(r -> r.getIdElement().getIdPart().equals(value));
              default ->
                  throw new InvalidRequestException(
                      "The sandbox recipient selects by identifier or _id only, not '"
                          + name
                          + "'");
            }
          }
        });
    return store(type).values().stream()
        .filter(r -> filters.stream().allMatch(f -> f.test(r)))
        .map(r -> r.getIdElement().getIdPart())
        .toList();
  }

  /** At most one match, or 412 as FHIR's conditional interactions require. */
  synchronized Optional<String> selectOne(String type, String query) {
    List<String> ids = select(type, query);
    if (ids.size() > 1) {
      throw new PreconditionFailedException(
          type
              + "?"
              + query
              + " matches "
              + ids.size()
              + " resources; a conditional write needs one");
    }
    return ids.stream().findFirst();
  }

  /**
   * Whether a resource carries the identifier of a token: {@code system|value} or {@code value}.
   */
  boolean hasIdentifier(Resource resource, String token) {
    int bar = token.indexOf('|');
    String system = bar < 0 ? null : token.substring(0, bar);
    String value = bar < 0 ? token : token.substring(bar + 1);
    return identifiers(resource).stream()
        .anyMatch(
            i ->
                value.equals(i.getValue())
                    && (system == null
                        || (system.isEmpty() ? !i.hasSystem() : system.equals(i.getSystem()))));
  }

  /** {@code identifier}, whether the type has one ({@code Bundle}) or a list. */
  List<Identifier> identifiers(Resource resource) {
    if (resource.fhirType().equals("MessageHeader")) {
      return List.of();
    }
    return context.newTerser().getValues(resource, "identifier", Identifier.class);
  }

  private Map<String, Resource> store(String type) {
    Map<String, Resource> store = byType.get(type);
    if (store == null) {
      throw new InvalidRequestException(
          "The sandbox recipient does not hold " + type + " resources");
    }
    return store;
  }
}
