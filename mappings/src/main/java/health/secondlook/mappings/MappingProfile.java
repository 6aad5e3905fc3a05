package health.secondlook.mappings;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How one kind of source EHR is read, mirroring a {@code secondlook/mappings/{name}.json} file: the
 * searches a pull runs for a patient and the references it follows from what they return, which
 * packet item each pulled resource satisfies, and how a conditional item's condition is decided. It
 * also says how a review is written back ({@link WriteBack}). The records only hold the data;
 * {@link MappingProfiles} reads and checks a file, {@link PacketItemClassifier}, {@link
 * ConditionEvaluator} and {@link ReferenceFollower} act on it.
 *
 * @param conditions keyed by the packet-item {@code required-when} code they decide, e.g. {@code
 *     surgery}
 * @param writeBack how a specialist's review is written back to this kind of EHR; {@code null} when
 *     the file leaves it out, and nothing is written back to such an EHR
 */
public record MappingProfile(
    String name,
    String description,
    List<Search> searches,
    List<Rule> classification,
    Map<String, ItemCondition> conditions,
    WriteBack writeBack) {

  /** Stands for the patient's id at the EHR in a search query. */
  public static final String PATIENT_PLACEHOLDER = "{patient}";

  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  public MappingProfile {
    searches = listOf(searches);
    classification = listOf(classification);
    // Kept in file order so that errors and logs follow the file.
    conditions =
        conditions == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(conditions));
  }

  /** A read or a search the pull sends to the EHR for one patient. */
  public enum Interaction {
    @JsonProperty("search")
    SEARCH,
    @JsonProperty("read")
    READ
  }

  /** Whether a test looks at codes or accepts any resource that passes its {@code where}. */
  public enum Match {
    @JsonProperty("code")
    CODE,
    @JsonProperty("any")
    ANY
  }

  /**
   * One request of a pull, and the references to follow from every resource of its type.
   *
   * @param interaction {@code search} (the default) or {@code read}; a read fetches {@code
   *     Patient/{patient}} and has no query
   * @param query search parameters with {@link #PATIENT_PLACEHOLDER} for the patient's id
   * @param follow FHIRPath expressions on a resource of this type yielding References, or
   *     Attachments whose {@code url} is fetched; they apply to every resource of the type the pull
   *     holds, however it arrived
   */
  public record Search(
      String resourceType, Interaction interaction, String query, List<String> follow) {

    public Search {
      interaction = interaction == null ? Interaction.SEARCH : interaction;
      follow = listOf(follow);
    }

    /**
     * The request for one patient relative to the EHR's base URL, e.g. {@code Patient/123} or
     * {@code Condition?patient=123&_count=100}; the query is as written in the file, not
     * percent-encoded.
     *
     * @throws IllegalArgumentException if {@code patientId} is not a FHIR id: anything else could
     *     change the query (e.g. {@code 1&_id=2}) and fetch another patient's records
     */
    public String request(String patientId) {
      if (!FHIR_ID.matcher(patientId).matches()) {
        throw new IllegalArgumentException("'" + patientId + "' is not a FHIR resource id");
      }
      return interaction == Interaction.READ
          ? resourceType + "/" + patientId
          : resourceType + "?" + query.replace(PATIENT_PLACEHOLDER, patientId);
    }
  }

  /**
   * What a resource must look like to pass a test: of {@link #resourceType()}, {@link #where()}
   * true when given, and with {@link Match#CODE} a Coding from {@link #codePaths()} in {@link
   * #valueSet()}.
   */
  public sealed interface ResourceTest permits Rule, ItemCondition {
    String resourceType();

    Match match();

    /** FHIRPath expressions yielding Codings or CodeableConcepts; empty with {@link Match#ANY}. */
    List<String> codePaths();

    /** Canonical URL of the ValueSet the codes are tested against; none with {@link Match#ANY}. */
    String valueSet();

    /** A FHIRPath expression that must be true, or {@code null}. */
    String where();
  }

  /**
   * A resource passing this test satisfies packet item {@link #item()}. In a file {@code valueSet}
   * is usually left out; {@link MappingProfiles} fills in the item's own ValueSet from the
   * packet-item CodeSystem.
   *
   * @param match {@code code} (the default) or {@code any}
   * @param recent optional: of the resources that pass the test, only the recent ones satisfy the
   *     item; the others are listed in the completeness report as left out by this rule
   */
  public record Rule(
      String item,
      String resourceType,
      Match match,
      List<String> codePaths,
      String valueSet,
      String where,
      Recent recent)
      implements ResourceTest {

    public Rule {
      match = match == null ? Match.CODE : match;
      codePaths = listOf(codePaths);
    }

    /** A rule that every resource passing its test satisfies. */
    public Rule(
        String item,
        String resourceType,
        Match match,
        List<String> codePaths,
        String valueSet,
        String where) {
      this(item, resourceType, match, codePaths, valueSet, where, null);
    }

    Rule withValueSet(String url) {
      return new Rule(item, resourceType, match, codePaths, url, where, recent);
    }
  }

  /**
   * Which of a rule's resources are recent enough to send: those dated within {@code within} of the
   * newest of them, then at most the {@code newest} most recent. The reference date is the newest
   * record the EHR holds, not today, so a record that ended years ago still sends its last results.
   * A resource without a date is not recent.
   *
   * @param by FHIRPath yielding the resource's date (a date, dateTime, instant or Period, whose
   *     start counts), e.g. {@code Observation.effective}
   * @param within an ISO 8601 period such as {@code P1Y} or {@code P90D}; optional
   * @param newest how many of the most recent to keep; optional
   */
  public record Recent(String by, String within, Integer newest) {}

  /**
   * A conditional item's condition holds when at least one pulled resource passes this test, e.g.
   * {@code surgery}: a completed Procedure categorised as surgical.
   *
   * @param match {@code code} (the default) or {@code any}
   */
  public record ItemCondition(
      String resourceType, Match match, List<String> codePaths, String valueSet, String where)
      implements ResourceTest {

    public ItemCondition {
      match = match == null ? Match.CODE : match;
      codePaths = listOf(codePaths);
    }
  }

  private static <T> List<T> listOf(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
