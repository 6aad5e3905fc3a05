package health.secondlook.terminology;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.Type;

/**
 * One record a second-opinion packet can carry, read from the packet-item CodeSystem. The
 * completeness check walks these definitions: it looks for resources of {@link #resourceTypes}
 * coded from {@link #valueSetUrl}, decides from {@link #requiredWhen} whether a missing item blocks
 * the referral, and shows {@link #rationale} to the referring team when it does. Reading them from
 * the CodeSystem keeps the rule in one place that terminology reviewers can edit.
 *
 * @param requiredWhen {@value #ALWAYS}, {@value #SURGERY} or {@value #IF_AVAILABLE}
 * @param valueSetUrl canonical of the ValueSet of codes that count as this item, or {@code null}
 *     when none does (the patient's questions are found by their Questionnaire instead)
 */
public record PacketItemDefinition(
    String code,
    String display,
    String requiredWhen,
    String rationale,
    String valueSetUrl,
    List<String> resourceTypes) {

  /** The item must always be in the packet. */
  public static final String ALWAYS = "always";

  /** The item is required only when the patient has a surgical Procedure. */
  public static final String SURGERY = "surgery";

  /** The item is sent when it exists and never blocks the referral. */
  public static final String IF_AVAILABLE = "if-available";

  /** Reads every concept of the packet-item CodeSystem, in the CodeSystem's order. */
  public static List<PacketItemDefinition> fromCodeSystem(CodeSystem codeSystem) {
    if (!TerminologyContent.PACKET_ITEM_SYSTEM.equals(codeSystem.getUrl())) {
      throw new IllegalArgumentException("Not the packet-item CodeSystem: " + codeSystem.getUrl());
    }
    return codeSystem.getConcept().stream().map(PacketItemDefinition::fromConcept).toList();
  }

  private static PacketItemDefinition fromConcept(ConceptDefinitionComponent concept) {
    return new PacketItemDefinition(
        concept.getCode(),
        concept.getDisplay(),
        required(concept, "required-when"),
        required(concept, "rationale"),
        property(concept, "value-set").orElse(null),
        Arrays.stream(required(concept, "resource-types").split(",")).map(String::trim).toList());
  }

  private static String required(ConceptDefinitionComponent concept, String name) {
    return property(concept, name)
        .orElseThrow(
            () ->
                new IllegalStateException("Packet item " + concept.getCode() + " has no " + name));
  }

  private static Optional<String> property(ConceptDefinitionComponent concept, String name) {
    return concept.getProperty().stream()
        .filter(p -> name.equals(p.getCode()))
        .map(ConceptPropertyComponent::getValue)
        .map(Type::primitiveValue)
        .findFirst();
  }
}
