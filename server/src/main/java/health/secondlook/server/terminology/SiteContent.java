package health.secondlook.server.terminology;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.mappings.MappingProfile;
import health.secondlook.mappings.MappingProfiles;
import health.secondlook.terminology.TerminologyContent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.MetadataResource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The terminology and mapping profiles this site runs with: the project's own, with a site's files
 * from {@code secondlook.site.terminology-dir} and {@code secondlook.site.mappings-dir} replacing
 * or adding to them. A site changes what counts as each packet item, or which searches a pull runs,
 * by editing those files and restarting; nothing is recompiled.
 */
@Component
public class SiteContent {

  /**
   * @param terminologyDir directory of {@code {Type}-{id}.json} files overriding the project's
   * @param mappingsDir directory of {@code {name}.json} mapping profiles overriding the project's
   */
  @ConfigurationProperties("secondlook.site")
  public record Directories(Path terminologyDir, Path mappingsDir) {}

  private final List<MetadataResource> terminology;
  private final Map<String, MappingProfile> mappings;

  public SiteContent(Directories directories) {
    FhirContext fhirContext = FhirContext.forR4Cached();
    this.terminology =
        directories.terminologyDir() == null
            ? TerminologyContent.loadAll(fhirContext)
            : TerminologyContent.loadAll(fhirContext, directories.terminologyDir());
    Map<String, MappingProfile> profiles = new HashMap<>(MappingProfiles.loadAll());
    if (directories.mappingsDir() != null) {
      profiles.putAll(MappingProfiles.loadFrom(directories.mappingsDir()));
    }
    this.mappings = Map.copyOf(profiles);
  }

  public List<MetadataResource> terminology() {
    return terminology;
  }

  public MappingProfile mapping(String name) {
    MappingProfile profile = mappings.get(name);
    if (profile == null) {
      throw new IllegalStateException(
          "No mapping profile named '" + name + "' (known: " + mappings.keySet() + ")");
    }
    return profile;
  }
}
