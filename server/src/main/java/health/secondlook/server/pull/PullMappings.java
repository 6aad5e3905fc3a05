package health.secondlook.server.pull;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.mappings.CompletenessAssessor;
import health.secondlook.mappings.ConditionEvaluator;
import health.secondlook.mappings.MappingProfile;
import health.secondlook.mappings.PacketItemClassifier;
import health.secondlook.mappings.ReferenceFollower;
import health.secondlook.mappings.ValueSetCodeCheck;
import health.secondlook.server.terminology.SiteContent;
import health.secondlook.terminology.PacketItemDefinition;
import health.secondlook.terminology.TerminologyContent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.CodeSystem;
import org.springframework.stereotype.Component;

/**
 * The mapping engine for each kind of source EHR (see the {@code mappings} module): which searches
 * a pull runs, which references it follows, and how pulled records are judged complete. Built from
 * the {@link SiteContent site's} terminology and mappings, once per mapping profile, since the
 * terminology checks behind it are costly to set up.
 */
@Component
class PullMappings {

  /** Everything a pull needs from one mapping profile. */
  record Engine(
      MappingProfile profile, ReferenceFollower follower, CompletenessAssessor assessor) {}

  private final FhirContext fhirContext = FhirContext.forR4Cached();
  private final Map<String, Engine> engines = new ConcurrentHashMap<>();
  private final SiteContent site;
  private final ValueSetCodeCheck codes;
  private final List<PacketItemDefinition> items;

  PullMappings(SiteContent site) {
    this.site = site;
    this.codes = ValueSetCodeCheck.of(fhirContext, site.terminology());
    this.items =
        PacketItemDefinition.fromCodeSystem(
            site.terminology().stream()
                .filter(
                    r ->
                        r instanceof CodeSystem cs
                            && TerminologyContent.PACKET_ITEM_SYSTEM.equals(cs.getUrl()))
                .map(CodeSystem.class::cast)
                .findFirst()
                .orElseThrow());
  }

  Engine forProfile(String name) {
    return engines.computeIfAbsent(name, this::build);
  }

  private Engine build(String name) {
    MappingProfile profile = site.mapping(name);
    PacketItemClassifier classifier = new PacketItemClassifier(fhirContext, profile, codes);
    ConditionEvaluator conditions = new ConditionEvaluator(fhirContext, profile, codes);
    return new Engine(
        profile,
        new ReferenceFollower(fhirContext, profile),
        new CompletenessAssessor(items, classifier, conditions));
  }
}
