package health.secondlook.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site replaces one of the project's ValueSets with its own file, without rebuilding. */
class SiteTerminologyTest {

  private static final FhirContext R4 = FhirContext.forR4Cached();

  @Test
  void aSiteFileReplacesTheProjectsResourceOfTheSameTypeAndId(@TempDir Path site) throws Exception {
    ValueSet pathology =
        (ValueSet)
            TerminologyContent.loadAll(R4).stream()
                .filter(
                    r ->
                        r.getUrl()
                            .equals(TerminologyContent.packetItemValueSet("pathology-report")))
                .findFirst()
                .orElseThrow();
    pathology
        .getCompose()
        .getIncludeFirstRep()
        .addConcept()
        .setCode("11529-5")
        .setDisplay("Surgical pathology study");
    Files.writeString(
        site.resolve("ValueSet-packet-item-pathology-report.json"),
        R4.newJsonParser().encodeResourceToString(pathology));

    List<MetadataResource> merged = TerminologyContent.loadAll(R4, site);

    assertThat(merged).hasSameSizeAs(TerminologyContent.loadAll(R4));
    ValueSet replaced =
        (ValueSet)
            merged.stream()
                .filter(
                    r ->
                        r.getUrl()
                            .equals(TerminologyContent.packetItemValueSet("pathology-report")))
                .findFirst()
                .orElseThrow();
    assertThat(replaced.getCompose().getIncludeFirstRep().getConcept())
        .anySatisfy(c -> assertThat(c.getCode()).isEqualTo("11529-5"));
    assertThat(merged.get(0).fhirType()).isEqualTo("CodeSystem");
  }

  @Test
  void aMissingSiteDirectoryIsNamed() {
    assertThatThrownBy(() -> TerminologyContent.loadAll(R4, Path.of("/no/such/dir")))
        .hasMessageContaining("/no/such/dir");
  }
}
