package health.secondlook.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The SecondLook conformance resources (CodeSystems, ValueSets, the ConceptMap and the patient
 * Questionnaire) and their canonical URLs. The server installs them at start-up so that the
 * referral composer, the packet completeness check, packet assembly ({@code $translate}) and the
 * review all speak the same codes.
 */
public final class TerminologyContent {

  /**
   * Where the JSON files live; {@code classpath*:} also finds them inside a Spring Boot fat jar.
   */
  static final String LOCATION = "classpath*:secondlook/terminology/*.json";

  private static final String BASE = "https://secondlook.health/fhir/";

  public static final String REVIEW_OUTCOME_SYSTEM = BASE + "CodeSystem/review-outcome";
  public static final String REVIEW_OUTCOME_VALUE_SET = BASE + "ValueSet/review-outcome";
  public static final String PACKET_ITEM_SYSTEM = BASE + "CodeSystem/packet-item";
  public static final String PACKET_ITEM_VALUE_SET = BASE + "ValueSet/packet-item";
  public static final String PACKET_SECTION_SYSTEM = BASE + "CodeSystem/packet-section";
  public static final String SURGICAL_PROCEDURE_VALUE_SET = BASE + "ValueSet/surgical-procedure";
  public static final String PACKET_ITEM_TO_LOINC = BASE + "ConceptMap/packet-item-to-loinc";
  public static final String PATIENT_QUESTIONNAIRE = BASE + "Questionnaire/patient-questions";
  public static final String REFERRAL_PROGRESS_SYSTEM = BASE + "CodeSystem/referral-progress";
  public static final String DIAGNOSIS_AGREEMENT_SYSTEM = BASE + "CodeSystem/diagnosis-agreement";
  public static final String REVIEW_ELEMENT_SYSTEM = BASE + "CodeSystem/review-element";
  public static final String MESSAGE_EVENT_SYSTEM = BASE + "CodeSystem/message-event";

  /**
   * Extension on a completeness report section: the packet item's status ({@code present}, {@code
   * missing}, {@code not-applicable}, {@code not-available}), read again by packet assembly.
   */
  public static final String PACKET_ITEM_STATUS_EXTENSION =
      BASE + "StructureDefinition/packet-item-status";

  private TerminologyContent() {}

  /** Canonical URL of the ValueSet saying which codes count as the given packet item. */
  public static String packetItemValueSet(String itemCode) {
    return BASE + "ValueSet/packet-item-" + itemCode;
  }

  /**
   * Reads every resource, CodeSystems first and ValueSets next, so a server that validates on write
   * finds each code system before the value sets that use it.
   *
   * @throws IllegalStateException if a file is not named {@code {Type}-{id}.json}
   * @throws ca.uhn.fhir.parser.DataFormatException if a file is not valid FHIR JSON
   */
  public static List<MetadataResource> loadAll(FhirContext ctx) {
    return load(ctx, LOCATION);
  }

  /**
   * The project's resources with a site's own files from {@code siteDirectory} (named the same way)
   * replacing those of the same type and id, or adding to them. This is how a site changes, say,
   * which codes count as a pathology report without rebuilding SecondLook.
   */
  public static List<MetadataResource> loadAll(FhirContext ctx, Path siteDirectory) {
    if (!Files.isDirectory(siteDirectory)) {
      throw new IllegalStateException("Terminology directory not found: " + siteDirectory);
    }
    Map<String, MetadataResource> byTypeAndId = new LinkedHashMap<>();
    for (MetadataResource resource : loadAll(ctx)) {
      byTypeAndId.put(resource.fhirType() + "/" + resource.getIdPart(), resource);
    }
    String pattern = "file:" + siteDirectory.toAbsolutePath().normalize() + "/*.json";
    for (MetadataResource resource : load(ctx, pattern)) {
      byTypeAndId.put(resource.fhirType() + "/" + resource.getIdPart(), resource);
    }
    return byTypeAndId.values().stream()
        .sorted(Comparator.comparingInt(r -> typeOrder(r.fhirType() + "-")))
        .toList();
  }

  static List<MetadataResource> load(FhirContext ctx, String locationPattern) {
    if (ctx.getVersion().getVersion() != FhirVersionEnum.R4) {
      throw new IllegalArgumentException(
          "SecondLook terminology is FHIR R4, not " + ctx.getVersion().getVersion());
    }
    Resource[] files;
    try {
      files = new PathMatchingResourcePatternResolver().getResources(locationPattern);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + locationPattern, e);
    }
    return Arrays.stream(files)
        .sorted(
            Comparator.comparingInt(TerminologyContent::loadOrder)
                .thenComparing(Resource::getFilename))
        .map(file -> parse(ctx, file))
        .toList();
  }

  private static int loadOrder(Resource file) {
    return typeOrder(file.getFilename());
  }

  private static int typeOrder(String name) {
    if (name.startsWith("CodeSystem-")) {
      return 0;
    }
    return name.startsWith("ValueSet-") ? 1 : 2;
  }

  private static MetadataResource parse(FhirContext ctx, Resource file) {
    IBaseResource parsed;
    try (Reader reader = new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8)) {
      // Strict: a misspelt element name would otherwise be dropped with only a log line.
      parsed =
          ctx.newJsonParser().setParserErrorHandler(new StrictErrorHandler()).parseResource(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file.getDescription(), e);
    }
    // The name is how a reviewer finds a resource in the tree; a mismatch means a copy-paste slip.
    String expected =
        ctx.getResourceType(parsed) + "-" + parsed.getIdElement().getIdPart() + ".json";
    if (!expected.equals(file.getFilename())) {
      throw new IllegalStateException(
          file.getFilename() + " holds " + expected + "; rename the file or fix its id");
    }
    if (!(parsed instanceof MetadataResource resource)) {
      throw new IllegalStateException(file.getFilename() + " is not a conformance resource");
    }
    return resource;
  }
}
