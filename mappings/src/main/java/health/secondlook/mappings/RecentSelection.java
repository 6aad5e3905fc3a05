package health.secondlook.mappings;

import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPath.IParsedExpression;
import health.secondlook.mappings.MappingProfile.Recent;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/**
 * A rule's {@link Recent} with its FHIRPath parsed once: picks, from the resources that pass the
 * rule, the ones recent enough to send. Ten years of laboratory panels or a hundred clinical notes
 * bury what the specialist needs; the newest ones, as dated by the EHR, are what they read.
 */
final class RecentSelection {

  private final IFhirPath fhirPath;
  private final IParsedExpression by;
  private final Recent recent;
  private final Period within;

  /**
   * @param what names the rule in errors, e.g. {@code r4-default classification[2]}
   */
  RecentSelection(IFhirPath fhirPath, Recent recent, String what) {
    this.fhirPath = fhirPath;
    this.recent = recent;
    this.by = ResourceMatcher.parse(fhirPath, recent.by(), what);
    this.within = recent.within() == null ? null : Period.parse(recent.within());
  }

  /** The recent ones of {@code passing}, newest first. */
  List<IBaseResource> select(List<? extends IBaseResource> passing) {
    Map<IBaseResource, Instant> dated =
        passing.stream()
            .filter(r -> date(r) != null)
            .collect(Collectors.toMap(Function.identity(), this::date, (a, b) -> a));
    // Same date: by id, so which of them are kept never varies between pulls.
    Comparator<IBaseResource> newestFirstOrder =
        Comparator.<IBaseResource, Instant>comparing(dated::get)
            .reversed()
            .thenComparing(
                r -> r.getIdElement().getIdPart(), Comparator.nullsLast(Comparator.naturalOrder()));
    List<IBaseResource> newestFirst =
        dated.keySet().stream().sorted(newestFirstOrder).collect(Collectors.toList());
    if (within != null && !newestFirst.isEmpty()) {
      Instant cutoff =
          dated.get(newestFirst.get(0)).atZone(ZoneOffset.UTC).minus(within).toInstant();
      newestFirst.removeIf(r -> dated.get(r).isBefore(cutoff));
    }
    return recent.newest() == null || newestFirst.size() <= recent.newest()
        ? newestFirst
        : newestFirst.subList(0, recent.newest());
  }

  /** What the rule keeps, in words, for the completeness report's list of what was left out. */
  String describe(String resourceType) {
    StringBuilder text = new StringBuilder("only ");
    if (recent.newest() != null) {
      text.append("the ").append(recent.newest()).append(" newest ");
    } else {
      text.append("the ");
    }
    text.append(resourceType).append(" records");
    if (within != null) {
      text.append(" dated within ").append(recent.within()).append(" of the newest");
    }
    return text.append(" (date: ").append(recent.by()).append(") are sent").toString();
  }

  private Instant date(IBaseResource resource) {
    return fhirPath.evaluate(resource, by, IBase.class).stream()
        .map(RecentSelection::start)
        .filter(Objects::nonNull)
        .findFirst()
        .map(Date::toInstant)
        .orElse(null);
  }

  private static Date start(IBase value) {
    if (value instanceof BaseDateTimeType date) {
      return date.getValue();
    }
    return value instanceof org.hl7.fhir.r4.model.Period period ? period.getStart() : null;
  }
}
