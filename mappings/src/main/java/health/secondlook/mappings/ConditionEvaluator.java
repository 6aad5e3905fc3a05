package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Decides from a pull's resources which conditions of conditional packet items hold, e.g. {@code
 * surgery} when a completed surgical Procedure exists, so that the completeness check asks for a
 * discharge summary only from patients who were operated on.
 */
public final class ConditionEvaluator {

  private record Compiled(String resourceType, ResourceMatcher matcher) {}

  private final FhirContext ctx;
  private final Map<String, Compiled> conditions = new LinkedHashMap<>();

  /**
   * Parses every condition's FHIRPath once.
   *
   * @throws IllegalArgumentException if a condition names a ValueSet {@code codes} does not hold
   */
  public ConditionEvaluator(FhirContext ctx, MappingProfile profile, ValueSetCodeCheck codes) {
    this.ctx = ctx;
    IFhirPath fhirPath = ctx.newFhirPath();
    profile
        .conditions()
        .forEach(
            (name, condition) ->
                conditions.put(
                    name,
                    new Compiled(
                        condition.resourceType(),
                        ResourceMatcher.compile(
                            fhirPath, codes, condition, profile.name() + " conditions." + name))));
  }

  /** The conditions this evaluator can decide, e.g. {@code surgery}. */
  public Set<String> names() {
    return Collections.unmodifiableSet(conditions.keySet());
  }

  /** The conditions that at least one of the resources makes true, sorted. */
  public Set<String> holding(Collection<? extends IBaseResource> resources) {
    Set<String> holding = new TreeSet<>();
    conditions.forEach(
        (name, condition) -> {
          if (resources.stream()
              .anyMatch(
                  resource ->
                      condition.resourceType().equals(ctx.getResourceType(resource))
                          && condition.matcher().matches(resource))) {
            holding.add(name);
          }
        });
    return Collections.unmodifiableSet(holding);
  }
}
