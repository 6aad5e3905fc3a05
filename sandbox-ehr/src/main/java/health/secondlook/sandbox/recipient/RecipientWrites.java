package health.secondlook.sandbox.recipient;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Applies the writes of one transaction or message to the {@link RecipientStore} as a unit: every
 * conditional write is resolved first, then references to the unit's own entries ({@code fullUrl}s)
 * are pointed at where those entries are stored, then everything is written. A Bundle entry (a
 * signed packet) is stored exactly as received: its references belong to it.
 */
final class RecipientWrites {

  enum Kind {
    /** Always a new resource. */
    CREATE,
    /** A new resource unless the query matches one ({@code ifNoneExist}); then nothing. */
    CREATE_IF_NONE_EXIST,
    /** Under the given id. */
    UPDATE,
    /** The resource the query matches, or a new one if none does. */
    UPDATE_CONDITIONAL
  }

  /**
   * @param target the id ({@link Kind#UPDATE}) or the conditional query, without {@code Type?}
   */
  record Write(Resource resource, String fullUrl, Kind kind, String target) {}

  /**
   * @param location {@code Type/id/_history/version} of what the entry is stored as
   * @param created whether the write made a new resource
   */
  record Outcome(String location, boolean created) {}

  private final RecipientStore store;
  private final FhirContext context;

  RecipientWrites(RecipientStore store, FhirContext context) {
    this.store = store;
    this.context = context;
  }

  List<Outcome> apply(List<Write> writes) {
    synchronized (store) {
      Map<String, String> local = new HashMap<>();
      List<Target> targets = new ArrayList<>();
      for (Write write : writes) {
        String type = write.resource().fhirType();
        if (!RecipientStore.TYPES.contains(type)) {
          throw new InvalidRequestException(
              "The sandbox recipient does not accept " + type + " resources");
        }
        Target target = resolve(type, write);
        targets.add(target);
        if (write.fullUrl() != null && !write.fullUrl().isBlank()) {
          local.put(write.fullUrl(), type + "/" + target.id());
        }
      }

      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < writes.size(); i++) {
        Resource resource = writes.get(i).resource();
        String type = resource.fhirType();
        Target target = targets.get(i);
        Optional<Resource> existing = store.read(type, target.id());
        if (!target.stores()) {
          outcomes.add(new Outcome(existing.orElseThrow().getIdElement().getValue(), false));
          continue;
        }
        Resource copy = resource.copy();
        if (!type.equals("Bundle")) {
          pointAtStoredEntries(copy, local);
        }
        String location = store.put(type, target.id(), copy).getIdElement().getValue();
        outcomes.add(new Outcome(location, existing.isEmpty()));
      }
      return outcomes;
    }
  }

  /** Where a write goes, and whether it stores anything (a matched conditional create does not). */
  private record Target(String id, boolean stores) {}

  private Target resolve(String type, Write write) {
    return switch (write.kind()) {
      case CREATE -> new Target(store.newId(type), true);
      case CREATE_IF_NONE_EXIST ->
          store
              .selectOne(type, write.target())
              .map(id -> new Target(id, false))
              .orElseGet(() -> new Target(store.newId(type), true));
      case UPDATE -> new Target(write.target(), true);
      case UPDATE_CONDITIONAL ->
          new Target(
              store.selectOne(type, write.target()).orElseGet(() -> store.newId(type)), true);
    };
  }

  private void pointAtStoredEntries(Resource resource, Map<String, String> local) {
    for (Reference reference :
        context.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
      String stored = reference.hasReference() ? local.get(reference.getReference()) : null;
      if (stored != null) {
        reference.setReference(stored);
      }
    }
  }
}
