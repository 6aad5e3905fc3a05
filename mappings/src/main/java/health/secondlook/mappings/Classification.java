package health.secondlook.mappings;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * What the classification rules made of a whole pull: the resources that satisfy each packet item,
 * and every pulled resource of a classified type that satisfies none, grouped by the rule that left
 * it out, so that nothing leaves the packet without the completeness report saying so.
 *
 * @param satisfying packet-item code to the {@code Type/id} of the resources that satisfy it
 * @param leftOut the resources of types the rules classify that satisfy no item
 */
public record Classification(Map<String, SortedSet<String>> satisfying, List<LeftOut> leftOut) {

  public Classification {
    satisfying = Map.copyOf(satisfying);
    leftOut = List.copyOf(leftOut);
  }

  /**
   * Records a rule left out.
   *
   * @param reason the rule, in words, e.g. {@code Procedure: matches none of the mapping's rules
   *     for Procedure (surgical-procedures)}
   * @param resources their {@code Type/id}, sorted
   */
  public record LeftOut(String reason, List<String> resources) {
    public LeftOut {
      resources = List.copyOf(resources);
    }
  }
}
