package health.secondlook.mappings;

import static health.secondlook.mappings.MappingProfile.PATIENT_PLACEHOLDER;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.mappings.MappingProfile.Interaction;
import health.secondlook.mappings.MappingProfile.ItemCondition;
import health.secondlook.mappings.MappingProfile.Match;
import health.secondlook.mappings.MappingProfile.Recent;
import health.secondlook.mappings.MappingProfile.ResourceTest;
import health.secondlook.mappings.MappingProfile.Rule;
import health.secondlook.mappings.MappingProfile.Search;
import health.secondlook.terminology.PacketItemDefinition;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a parsed mapping file against the FHIR R4 definitions and the packet-item CodeSystem, and
 * fills in each code rule's default ValueSet (the item's own), so that everything that can be wrong
 * with a file is reported when it is loaded, naming the file and field, rather than during a pull
 * (the {@code writeBack} section: {@link WriteBackValidator}).
 */
final class ProfileValidator {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

  private final FhirContext ctx;
  private final ExpressionChecker expressions;
  private final Map<String, PacketItemDefinition> items;
  private final WriteBackValidator writeBack;

  ProfileValidator(
      FhirContext ctx, List<PacketItemDefinition> items, WriteBackValidator writeBack) {
    this.ctx = ctx;
    this.expressions = new ExpressionChecker(ctx);
    this.writeBack = writeBack;
    this.items =
        items.stream()
            .collect(
                Collectors.toMap(
                    PacketItemDefinition::code,
                    Function.identity(),
                    (a, b) -> a,
                    LinkedHashMap::new));
  }

  /**
   * @param file the file's name, {@code {name}.json}
   * @return the profile with every code rule's ValueSet filled in
   * @throws InvalidMappingException on the first problem found
   */
  MappingProfile validate(String file, MappingProfile profile) {
    String expectedName = file.substring(0, file.length() - ".json".length());
    if (isBlank(profile.name())) {
      throw invalid(file, "name", "missing");
    }
    if (!profile.name().equals(expectedName)) {
      throw invalid(
          file,
          "name",
          "is '" + profile.name() + "', but a profile is found by its file name; make them equal");
    }
    if (isBlank(profile.description())) {
      throw invalid(file, "description", "missing");
    }
    if (profile.searches().isEmpty()) {
      throw invalid(file, "searches", "lists no search");
    }
    for (int i = 0; i < profile.searches().size(); i++) {
      checkSearch(file, "searches[" + i + "]", profile.searches().get(i));
    }
    if (profile.classification().isEmpty()) {
      throw invalid(file, "classification", "lists no rule");
    }
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < profile.classification().size(); i++) {
      rules.add(checkRule(file, "classification[" + i + "]", profile.classification().get(i)));
    }
    checkConditions(file, profile.conditions());
    writeBack.validate(file, profile.writeBack());
    return new MappingProfile(
        profile.name(),
        profile.description(),
        profile.searches(),
        rules,
        profile.conditions(),
        profile.writeBack());
  }

  private void checkSearch(String file, String field, Search search) {
    String type = checkResourceType(file, field + ".resourceType", search.resourceType());
    if (search.interaction() == Interaction.READ) {
      if (!"Patient".equals(type)) {
        throw invalid(
            file,
            field + ".interaction",
            "a read fetches the patient's own id, so only Patient can be read, not " + type);
      }
      if (search.query() != null) {
        throw invalid(file, field + ".query", "a read has no query");
      }
    } else {
      checkQuery(file, field + ".query", type, search.query());
    }
    for (int i = 0; i < search.follow().size(); i++) {
      checkExpression(
          file,
          field + ".follow[" + i + "]",
          type,
          search.follow().get(i),
          "Reference",
          "Attachment");
    }
  }

  private void checkQuery(String file, String field, String type, String query) {
    if (isBlank(query)) {
      throw invalid(file, field, "missing");
    }
    // Without it the search returns every patient's records, and the packet would carry them.
    if (!query.contains(PATIENT_PLACEHOLDER)) {
      throw invalid(
          file, field, "has no " + PATIENT_PLACEHOLDER + ", so it is not limited to the patient");
    }
    Matcher placeholders = PLACEHOLDER.matcher(query);
    while (placeholders.find()) {
      if (!placeholders.group().equals(PATIENT_PLACEHOLDER)) {
        throw invalid(
            file,
            field,
            "unknown placeholder "
                + placeholders.group()
                + "; only "
                + PATIENT_PLACEHOLDER
                + " is filled in");
      }
    }
    for (String parameter : query.split("&")) {
      int equals = parameter.indexOf('=');
      if (equals < 1) {
        throw invalid(file, field, "'" + parameter + "' is not name=value");
      }
      // patient:Patient or subject.name still name the parameter before the modifier or chain.
      String name = parameter.substring(0, equals).split("[:.]", 2)[0];
      if (!name.startsWith("_") && ctx.getResourceDefinition(type).getSearchParam(name) == null) {
        throw invalid(file, field, type + " has no search parameter '" + name + "'");
      }
    }
  }

  private Rule checkRule(String file, String field, Rule rule) {
    if (isBlank(rule.item())) {
      throw invalid(file, field + ".item", "missing");
    }
    PacketItemDefinition item = items.get(rule.item());
    if (item == null) {
      throw invalid(
          file,
          field + ".item",
          "unknown packet item '"
              + rule.item()
              + "'; the packet-item CodeSystem has "
              + items.keySet());
    }
    String type = checkResourceType(file, field + ".resourceType", rule.resourceType());
    if (!item.resourceTypes().contains(type)) {
      throw invalid(
          file,
          field + ".resourceType",
          "the packet-item CodeSystem says "
              + item.code()
              + " is carried by "
              + item.resourceTypes()
              + ", not "
              + type);
    }
    checkTest(file, field, rule);
    if (rule.recent() != null) {
      checkRecent(file, field + ".recent", type, rule.recent());
    }
    if (rule.match() == Match.ANY || rule.valueSet() != null) {
      return rule;
    }
    if (item.valueSetUrl() == null) {
      throw invalid(
          file,
          field + ".valueSet",
          "packet item "
              + item.code()
              + " has no value-set in the packet-item CodeSystem; name one");
    }
    return rule.withValueSet(item.valueSetUrl());
  }

  private void checkConditions(String file, Map<String, ItemCondition> conditions) {
    Set<String> needed =
        items.values().stream()
            .map(PacketItemDefinition::requiredWhen)
            .filter(
                when ->
                    !when.equals(PacketItemDefinition.ALWAYS)
                        && !when.equals(PacketItemDefinition.IF_AVAILABLE))
            .collect(Collectors.toCollection(TreeSet::new));
    conditions.forEach(
        (name, condition) -> {
          String field = "conditions." + name;
          if (!needed.contains(name)) {
            throw invalid(
                file,
                field,
                "no packet item is required when '"
                    + name
                    + "'; the packet-item CodeSystem's conditions are "
                    + needed);
          }
          checkResourceType(file, field + ".resourceType", condition.resourceType());
          checkTest(file, field, condition);
          if (condition.match() == Match.CODE && isBlank(condition.valueSet())) {
            throw invalid(file, field + ".valueSet", "missing");
          }
        });
    for (String name : needed) {
      if (!conditions.containsKey(name)) {
        throw invalid(
            file,
            "conditions",
            "says nothing about '"
                + name
                + "', which decides whether "
                + items.values().stream()
                    .filter(item -> item.requiredWhen().equals(name))
                    .map(PacketItemDefinition::code)
                    .toList()
                + " must be sent");
      }
    }
  }

  private void checkTest(String file, String field, ResourceTest test) {
    String type = test.resourceType();
    if (test.match() == Match.ANY) {
      if (!test.codePaths().isEmpty()) {
        throw invalid(file, field + ".codePaths", "must be left out with \"match\": \"any\"");
      }
      if (test.valueSet() != null) {
        throw invalid(file, field + ".valueSet", "must be left out with \"match\": \"any\"");
      }
    } else if (test.codePaths().isEmpty()) {
      throw invalid(
          file, field + ".codePaths", "missing; a rule without codes says \"match\": \"any\"");
    }
    for (int i = 0; i < test.codePaths().size(); i++) {
      checkExpression(
          file,
          field + ".codePaths[" + i + "]",
          type,
          test.codePaths().get(i),
          "Coding",
          "CodeableConcept");
    }
    if (test.where() != null) {
      checkExpression(file, field + ".where", type, test.where(), "boolean");
    }
  }

  private void checkRecent(String file, String field, String type, Recent recent) {
    checkExpression(
        file, field + ".by", type, recent.by(), "date", "dateTime", "instant", "Period");
    if (recent.within() == null && recent.newest() == null) {
      throw invalid(file, field, "says neither \"within\" nor \"newest\"");
    }
    if (recent.within() != null) {
      try {
        if (Period.parse(recent.within()).isNegative() || Period.parse(recent.within()).isZero()) {
          throw invalid(file, field + ".within", "must be a positive period");
        }
      } catch (DateTimeParseException e) {
        throw invalid(
            file,
            field + ".within",
            "'" + recent.within() + "' is not an ISO 8601 period such as P1Y, P6M or P90D");
      }
    }
    if (recent.newest() != null && recent.newest() < 1) {
      throw invalid(file, field + ".newest", "must be at least 1");
    }
  }

  private String checkResourceType(String file, String field, String type) {
    if (isBlank(type)) {
      throw invalid(file, field, "missing");
    }
    if (!ctx.getResourceTypes().contains(type)) {
      throw invalid(file, field, "unknown resource type '" + type + "'");
    }
    return type;
  }

  private void checkExpression(
      String file, String field, String type, String expression, String... allowed) {
    try {
      expressions.check(type, expression, allowed);
    } catch (IllegalArgumentException e) {
      throw new InvalidMappingException(file, field, e.getMessage(), e);
    }
  }

  private static InvalidMappingException invalid(String file, String field, String problem) {
    return new InvalidMappingException(file, field, problem);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
