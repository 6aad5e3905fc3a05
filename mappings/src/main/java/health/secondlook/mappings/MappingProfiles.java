package health.secondlook.mappings;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import health.secondlook.terminology.TerminologyContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.MetadataResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Reads mapping files, {@code {name}.json}, from the classpath ({@code secondlook/mappings/}) or
 * from a directory a site keeps outside the jar, and checks each before handing it out: a profile
 * that loads can be used by a pull without further checks. A site overrides a shipped profile by
 * putting a file of the same name in its directory (see the module README).
 */
public final class MappingProfiles {

  /** The profile for a plain FHIR R4 / US Core server. */
  public static final String DEFAULT = "r4-default";

  static final String LOCATION = "secondlook/mappings/";

  private static final String SUFFIX = ".json";

  // Also keeps a name from reaching outside the mappings folder.
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private MappingProfiles() {}

  /**
   * Reads {@code secondlook/mappings/{name}.json} from the classpath.
   *
   * @throws IllegalArgumentException if there is no such profile
   * @throws InvalidMappingException if the file is not a valid mapping
   */
  public static MappingProfile load(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a mapping profile name");
    }
    String path = LOCATION + name + SUFFIX;
    try (InputStream in = MappingProfiles.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("No mapping profile '" + name + "' at " + path);
      }
      return read(name + SUFFIX, in, validator());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  /** Every profile on the classpath, by name. */
  public static Map<String, MappingProfile> loadAll() {
    Resource[] files;
    try {
      files =
          new PathMatchingResourcePatternResolver()
              .getResources("classpath*:" + LOCATION + "*" + SUFFIX);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + LOCATION, e);
    }
    ProfileValidator validator = validator();
    return byName(
        Stream.of(files)
            .map(
                file -> {
                  try (InputStream in = file.getInputStream()) {
                    return read(file.getFilename(), in, validator);
                  } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + file.getDescription(), e);
                  }
                })
            .toList());
  }

  /**
   * Every {@code *.json} profile in a directory, by name; a site merges them over {@link
   * #loadAll()} so that its file replaces the shipped profile of the same name.
   *
   * @throws InvalidMappingException if a file is not a valid mapping
   */
  public static Map<String, MappingProfile> loadFrom(Path dir) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(f -> f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list mapping directory " + dir, e);
    }
    ProfileValidator validator = validator();
    return byName(
        files.stream()
            .map(
                file -> {
                  try (InputStream in = Files.newInputStream(file)) {
                    return read(file.getFileName().toString(), in, validator);
                  } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + file, e);
                  }
                })
            .toList());
  }

  private static ProfileValidator validator() {
    FhirContext ctx = FhirContext.forR4Cached();
    List<MetadataResource> terminology = TerminologyContent.loadAll(ctx);
    return new ProfileValidator(
        ctx,
        PacketItems.fromTerminology(terminology),
        new WriteBackValidator(ctx, PacketItems.reviewOutcomes(terminology)));
  }

  private static MappingProfile read(String file, InputStream in, ProfileValidator validator)
      throws IOException {
    MappingProfile parsed;
    try {
      parsed = JSON.readValue(in, MappingProfile.class);
    } catch (JsonProcessingException e) {
      throw invalidJson(file, e);
    }
    if (parsed == null) {
      throw new InvalidMappingException(file, "(file)", "empty");
    }
    return validator.validate(file, parsed);
  }

  private static InvalidMappingException invalidJson(String file, JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return new InvalidMappingException(
          file,
          path(unknown),
          "unknown field; the fields here are " + unknown.getKnownPropertyIds(),
          e);
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return new InvalidMappingException(file, path(mapping), e.getOriginalMessage(), e);
    }
    String where =
        e instanceof JsonParseException && e.getLocation() != null
            ? "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
            : "(file)";
    return new InvalidMappingException(file, where, "not valid JSON: " + e.getOriginalMessage(), e);
  }

  /** {@code classification[2].codePaths[0]}, the way the problem is shown to whoever edits it. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference step : e.getPath()) {
      if (step.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
      } else if (step.getIndex() >= 0) {
        path.append('[').append(step.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static Map<String, MappingProfile> byName(List<MappingProfile> profiles) {
    return Collections.unmodifiableMap(
        profiles.stream()
            .collect(
                Collectors.toMap(
                    MappingProfile::name,
                    p -> p,
                    (a, b) -> {
                      throw new IllegalStateException("Two mapping profiles are named " + a.name());
                    },
                    TreeMap::new)));
  }
}
