package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.terminology.PacketItemDefinition;
import java.util.List;

/** The default profile, the shipped terminology and the engine built on them, shared by tests. */
final class TestFixtures {

  static final FhirContext CTX = FhirContext.forR4Cached();
  static final MappingProfile PROFILE = MappingProfiles.load(MappingProfiles.DEFAULT);
  static final ValueSetCodeCheck CODES = ValueSetCodeCheck.fromTerminology(CTX);
  static final List<PacketItemDefinition> ITEMS = PacketItems.fromTerminology(CTX);
  static final PacketItemClassifier CLASSIFIER = new PacketItemClassifier(CTX, PROFILE, CODES);
  static final ConditionEvaluator CONDITIONS = new ConditionEvaluator(CTX, PROFILE, CODES);

  private TestFixtures() {}

  static PacketItemDefinition item(String code) {
    return ITEMS.stream()
        .filter(item -> item.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No packet item " + code));
  }
}
