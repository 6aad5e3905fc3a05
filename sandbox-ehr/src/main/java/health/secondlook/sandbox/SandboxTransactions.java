package health.secondlook.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code POST /} with a transaction Bundle of creates (optionally conditional, {@code ifNoneExist})
 * and updates (by id, or conditional on {@code Type?identifier=…}), as a write-back sends them.
 * Entries may refer to each other by their {@code urn:uuid:} full URLs; those become the stored
 * ids. Every entry is checked and every target id decided before anything is stored, with the
 * stores of the types involved held, so the transaction is all or nothing and no concurrent request
 * can slip a duplicate in between. Other methods (GET, DELETE, PATCH) are refused with 400.
 */
final class SandboxTransactions {

  private final FhirContext context;
  private final Function<String, InMemoryResourceProvider<?>> providers;

  /**
   * @param providers the store of a resource type, or {@code null} if the sandbox holds none
   */
  SandboxTransactions(
      FhirContext context, Function<String, InMemoryResourceProvider<?>> providers) {
    this.context = context;
    this.providers = providers;
  }

  @Transaction
  public Bundle transaction(@TransactionParam Bundle transaction) {
    if (transaction.getType() != Bundle.BundleType.TRANSACTION) {
      throw new InvalidRequestException("Expected a transaction Bundle");
    }
    List<InMemoryResourceProvider<?>> involved =
        new ArrayList<>(new LinkedHashSet<>(stores(transaction)));
    // One fixed order, so two transactions never wait on each other's stores.
    involved.sort(Comparator.comparing(p -> p.getResourceType().getSimpleName()));
    return holding(involved, 0, () -> run(transaction));
  }

  private List<InMemoryResourceProvider<?>> stores(Bundle transaction) {
    List<InMemoryResourceProvider<?>> stores = new ArrayList<>();
    for (BundleEntryComponent entry : transaction.getEntry()) {
      HTTPVerb method = entry.getRequest().getMethod();
      if (method != HTTPVerb.POST && method != HTTPVerb.PUT) {
        throw new InvalidRequestException(
            "The sandbox EHR's transactions create and update only, not " + method);
      }
      if (!entry.hasResource()) {
        throw new InvalidRequestException("A transaction entry without a resource");
      }
      InMemoryResourceProvider<?> store = providers.apply(entry.getResource().fhirType());
      if (store == null) {
        throw new InvalidRequestException(
            "The sandbox EHR holds no " + entry.getResource().fhirType());
      }
      stores.add(store);
    }
    return stores;
  }

  private static Bundle holding(
      List<InMemoryResourceProvider<?>> stores, int next, Supplier<Bundle> work) {
    if (next == stores.size()) {
      return work.get();
    }
    synchronized (stores.get(next)) {
      return holding(stores, next + 1, work);
    }
  }

  private Bundle run(Bundle transaction) {
    List<Target> targets = new ArrayList<>();
    Map<String, String> assigned = new HashMap<>();
    for (BundleEntryComponent entry : transaction.getEntry()) {
      Target target = target(entry);
      targets.add(target);
      if (entry.hasFullUrl()) {
        assigned.put(entry.getFullUrl(), target.type() + "/" + target.id());
      }
    }
    Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    for (int i = 0; i < targets.size(); i++) {
      Target target = targets.get(i);
      Resource resource = transaction.getEntry().get(i).getResource().copy();
      Resource result;
      if (target.existing().isPresent()) {
        result = target.existing().get();
      } else {
        for (Reference reference :
            context.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
          if (reference.hasReference() && assigned.containsKey(reference.getReference())) {
            reference.setReference(assigned.get(reference.getReference()));
          }
        }
        result = target.store().storeAs(target.id(), resource);
      }
      IdType id = result.getIdElement();
      response
          .addEntry()
          .setFullUrl(id.toVersionless().getValue())
          .getResponse()
          .setStatus(target.created() ? "201 Created" : "200 OK")
          .setLocation(
              id.getResourceType() + "/" + id.getIdPart() + "/_history/" + id.getVersionIdPart())
          .setEtag("W/\"" + id.getVersionIdPart() + "\"");
    }
    return response;
  }

  /** Where an entry goes: an existing resource (kept or updated) or a new id. */
  private Target target(BundleEntryComponent entry) {
    String type = entry.getResource().fhirType();
    InMemoryResourceProvider<?> store = providers.apply(type);
    Bundle.BundleEntryRequestComponent request = entry.getRequest();
    if (request.getMethod() == HTTPVerb.POST) {
      Optional<? extends Resource> existing =
          request.hasIfNoneExist() ? store.single(request.getIfNoneExist()) : Optional.empty();
      return existing
          .<Target>map(r -> new Target(store, type, r.getIdPart(), Optional.of(r), false))
          .orElseGet(() -> new Target(store, type, store.newId(), Optional.empty(), true));
    }
    String url = request.getUrl();
    if (url == null || !url.startsWith(type)) {
      throw new InvalidRequestException(
          "A PUT of a " + type + " needs the url " + type + "/{id} or " + type + "?identifier=…");
    }
    if (url.contains("?")) {
      Optional<? extends Resource> match = store.single(url);
      return match
          .<Target>map(r -> new Target(store, type, r.getIdPart(), Optional.empty(), false))
          .orElseGet(() -> new Target(store, type, store.newId(), Optional.empty(), true));
    }
    String id = new IdType(url).getIdPart();
    return new Target(store, type, id, Optional.empty(), store.find(id).isEmpty());
  }

  /**
   * @param existing the resource a conditional create matched: returned, nothing stored
   */
  private record Target(
      InMemoryResourceProvider<?> store,
      String type,
      String id,
      Optional<? extends Resource> existing,
      boolean created) {}
}
