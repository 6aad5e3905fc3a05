package health.secondlook.mappings;

import health.secondlook.mappings.CompletenessReport.Item;
import health.secondlook.mappings.CompletenessReport.Status;
import health.secondlook.terminology.PacketItemDefinition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The completeness check that ends a pull: marks each packet item present, missing, not-applicable
 * or not-available from what was pulled, using the items' {@code required-when} and rationale from
 * the packet-item CodeSystem, the classifier, and the profile's conditions.
 */
public final class CompletenessAssessor {

  /**
   * The item the referrer answers in the request itself (the patient's questions): it is never
   * pulled from the EHR, and the packet-item CodeSystem marks it by this resource type.
   */
  private static final String REQUEST_RESOURCE_TYPE = "QuestionnaireResponse";

  private final List<PacketItemDefinition> items;
  private final PacketItemClassifier classifier;
  private final ConditionEvaluator conditions;

  /**
   * @throws IllegalArgumentException if an item is required under a condition {@code conditions}
   *     cannot decide
   */
  public CompletenessAssessor(
      List<PacketItemDefinition> items,
      PacketItemClassifier classifier,
      ConditionEvaluator conditions) {
    for (PacketItemDefinition item : items) {
      if (isConditional(item) && !conditions.names().contains(item.requiredWhen())) {
        throw new IllegalArgumentException(
            "Packet item "
                + item.code()
                + " is required when '"
                + item.requiredWhen()
                + "', which the mapping's conditions do not decide");
      }
    }
    this.items = List.copyOf(items);
    this.classifier = classifier;
    this.conditions = conditions;
  }

  /**
   * @param pulled every resource the pull fetched; each must have an id
   * @param questionsProvided whether the request carried the patient's questions
   */
  public CompletenessReport assess(
      Collection<? extends IBaseResource> pulled, boolean questionsProvided) {
    Classification classification = classifier.classifyAll(pulled);
    Map<String, SortedSet<String>> satisfying = classification.satisfying();
    Set<String> holding = conditions.holding(pulled);
    return new CompletenessReport(
        items.stream()
            .map(
                item -> {
                  Set<String> found = satisfying.getOrDefault(item.code(), new TreeSet<>());
                  boolean present =
                      !found.isEmpty()
                          || (item.resourceTypes().contains(REQUEST_RESOURCE_TYPE)
                              && questionsProvided);
                  Status status = present ? Status.PRESENT : absent(item, holding);
                  return new Item(
                      item.code(),
                      item.display(),
                      status,
                      List.copyOf(found),
                      present || status == Status.NOT_APPLICABLE ? null : item.rationale());
                })
            .toList(),
        classification.leftOut());
  }

  private static Status absent(PacketItemDefinition item, Set<String> holding) {
    if (item.requiredWhen().equals(PacketItemDefinition.IF_AVAILABLE)) {
      return Status.NOT_AVAILABLE;
    }
    return !isConditional(item) || holding.contains(item.requiredWhen())
        ? Status.MISSING
        : Status.NOT_APPLICABLE;
  }

  private static boolean isConditional(PacketItemDefinition item) {
    return !item.requiredWhen().equals(PacketItemDefinition.ALWAYS)
        && !item.requiredWhen().equals(PacketItemDefinition.IF_AVAILABLE);
  }
}
