package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import health.secondlook.mappings.MappingProfile.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Decides which packet items a pulled resource satisfies, by the profile's classification rules and
 * the terminology's ValueSets. The completeness check runs every resource of a pull through it, and
 * packet assembly can ask it which section a resource belongs in. Safe to share between the pull's
 * parallel routes: after construction it only reads.
 */
public final class PacketItemClassifier {

  private record ItemMatcher(String item, ResourceMatcher matcher) {}

  private final FhirContext ctx;
  private final Map<String, List<ItemMatcher>> byResourceType = new HashMap<>();

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
      byResourceType
          .computeIfAbsent(rule.resourceType(), type -> new ArrayList<>())
          .add(new ItemMatcher(rule.item(), ResourceMatcher.compile(fhirPath, codes, rule, what)));
    }
  }

  /** The codes of the packet items the resource satisfies, sorted; empty when it fits none. */
  public Set<String> classify(IBaseResource resource) {
    SortedSet<String> items = new TreeSet<>();
    for (ItemMatcher rule : byResourceType.getOrDefault(ctx.getResourceType(resource), List.of())) {
      if (!items.contains(rule.item()) && rule.matcher().matches(resource)) {
        items.add(rule.item());
      }
    }
    return Collections.unmodifiableSortedSet(items);
  }
}
