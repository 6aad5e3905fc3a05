package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import health.secondlook.mappings.Classification.LeftOut;
import health.secondlook.mappings.MappingProfile.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Decides which packet items a pulled resource satisfies, by the profile's classification rules and
 * the terminology's ValueSets. The completeness check runs the whole pull through it ({@link
 * #classifyAll}), which also applies each rule's {@code recent} selection and lists what no rule
 * keeps. Safe to share between the pull's parallel routes: after construction it only reads.
 */
public final class PacketItemClassifier {

  private record ItemMatcher(
      String item, ResourceMatcher matcher, RecentSelection recent, String cutReason) {}

  private final FhirContext ctx;
  private final Map<String, List<ItemMatcher>> byResourceType = new LinkedHashMap<>();

  /**
   * Parses every rule's FHIRPath once.
   *
   * @throws IllegalArgumentException if a rule names a ValueSet {@code codes} does not hold
   */
  public PacketItemClassifier(FhirContext ctx, MappingProfile profile, ValueSetCodeCheck codes) {
    this.ctx = ctx;
    IFhirPath fhirPath = ctx.newFhirPath();
    List<Rule> rules = profile.classification();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      String what = profile.name() + " classification[" + i + "] (" + rule.item() + ")";
      RecentSelection recent =
          rule.recent() == null ? null : new RecentSelection(fhirPath, rule.recent(), what);
      byResourceType
          .computeIfAbsent(rule.resourceType(), type -> new ArrayList<>())
          .add(
              new ItemMatcher(
                  rule.item(),
                  ResourceMatcher.compile(fhirPath, codes, rule, what),
                  recent,
                  recent == null
                      ? null
                      : rule.item()
                          + " (classification["
                          + i
                          + "]): "
                          + recent.describe(rule.resourceType())));
    }
  }

  /**
   * The codes of the packet items the resource can satisfy, sorted; empty when it fits none. A
   * rule's {@code recent} selection needs the whole pull and is not applied here.
   */
  public Set<String> classify(IBaseResource resource) {
    SortedSet<String> items = new TreeSet<>();
    for (ItemMatcher rule : byResourceType.getOrDefault(ctx.getResourceType(resource), List.of())) {
      if (!items.contains(rule.item()) && rule.matcher().matches(resource)) {
        items.add(rule.item());
      }
    }
    return Collections.unmodifiableSortedSet(items);
  }

  /**
   * Classifies a whole pull: the resources each item's rules keep, and those of a type the rules
   * classify that no rule keeps, by the reason. Resources of other types (the Patient,
   * practitioners, organisations, Binaries) are not judged here: they travel when a kept record
   * references them.
   *
   * @param pulled every pulled resource; each must have an id
   */
  public Classification classifyAll(Collection<? extends IBaseResource> pulled) {
    Map<String, List<IBaseResource>> byType = new HashMap<>();
    for (IBaseResource resource : pulled) {
      String type = ctx.getResourceType(resource);
      if (byResourceType.containsKey(type)) {
        byType.computeIfAbsent(type, t -> new ArrayList<>()).add(resource);
      }
    }
    Map<String, SortedSet<String>> satisfying = new HashMap<>();
    Map<String, SortedSet<String>> leftOut = new TreeMap<>();
    byType.forEach(
        (type, resources) -> {
          Set<String> kept = new HashSet<>();
          Map<String, String> cut = new HashMap<>();
          for (ItemMatcher rule : byResourceType.get(type)) {
            List<IBaseResource> passing =
                resources.stream().filter(r -> rule.matcher().matches(r)).toList();
            List<IBaseResource> recent =
                rule.recent() == null ? passing : rule.recent().select(passing);
            for (IBaseResource resource : recent) {
              String reference = reference(resource);
              kept.add(reference);
              satisfying.computeIfAbsent(rule.item(), i -> new TreeSet<>()).add(reference);
            }
            if (recent.size() < passing.size()) {
              Set<IBaseResource> keptHere = Collections.newSetFromMap(new IdentityHashMap<>());
              keptHere.addAll(recent);
              passing.stream()
                  .filter(r -> !keptHere.contains(r))
                  .forEach(r -> cut.putIfAbsent(reference(r), rule.cutReason()));
            }
          }
          String unmatched =
              type
                  + ": matches none of the mapping's rules for "
                  + type
                  + " ("
                  + String.join(", ", itemsFor(type))
                  + ")";
          for (IBaseResource resource : resources) {
            String reference = reference(resource);
            if (!kept.contains(reference)) {
              leftOut
                  .computeIfAbsent(cut.getOrDefault(reference, unmatched), r -> new TreeSet<>())
                  .add(reference);
            }
          }
        });
    return new Classification(
        satisfying,
        leftOut.entrySet().stream()
            .map(e -> new LeftOut(e.getKey(), List.copyOf(e.getValue())))
            .toList());
  }

  private SortedSet<String> itemsFor(String type) {
    SortedSet<String> items = new TreeSet<>();
    byResourceType.get(type).forEach(rule -> items.add(rule.item()));
    return items;
  }

  static String reference(IBaseResource resource) {
    String id = resource.getIdElement().getIdPart();
    if (id == null) {
      throw new IllegalArgumentException(
          "A pulled " + resource.fhirType() + " has no id, so the report cannot name it");
    }
    return resource.fhirType() + "/" + id;
  }
}
