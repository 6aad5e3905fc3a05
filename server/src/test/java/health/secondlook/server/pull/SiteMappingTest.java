package health.secondlook.server.pull;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import health.secondlook.mappings.CompletenessReport;
import health.secondlook.sandbox.SyntheticCancerPatients;
import health.secondlook.server.terminology.SiteContent;
import health.secondlook.terminology.TerminologyContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site decides what counts as a pathology report by editing a terminology file in its own
 * directory: the completeness check follows, with nothing recompiled.
 */
class SiteMappingTest {

  private static final FhirContext R4 = FhirContext.forR4Cached();

  @Test
  void aSitesPathologyValueSetDecidesWhatCountsAsAPathologyReport(@TempDir Path site)
      throws Exception {
    List<Resource> breast =
        SyntheticCancerPatients.all().stream()
            .filter(p -> p.id().equals(SyntheticCancerPatients.BREAST))
            .findFirst()
            .orElseThrow()
            .resources();
    assertThat(
            assess(new SiteContent.Directories(null, null), breast)
                .item("pathology-report")
                .status())
        .isEqualTo(CompletenessReport.Status.PRESENT);

    // This site accepts only synoptic reports (60568-3) as the pathology report.
    ValueSet strict =
        (ValueSet)
            TerminologyContent.loadAll(R4).stream()
                .filter(
                    r ->
                        r.getUrl()
                            .equals(TerminologyContent.packetItemValueSet("pathology-report")))
                .findFirst()
                .orElseThrow();
    strict
        .getCompose()
        .getIncludeFirstRep()
        .getConcept()
        .removeIf(c -> !c.getCode().equals("60568-3"));
    Files.writeString(
        site.resolve("ValueSet-packet-item-pathology-report.json"),
        R4.newJsonParser().encodeResourceToString(strict));

    CompletenessReport report = assess(new SiteContent.Directories(site, null), breast);

    assertThat(report.item("pathology-report").status())
        .isEqualTo(CompletenessReport.Status.MISSING);
  }

  private static CompletenessReport assess(
      SiteContent.Directories directories, List<Resource> records) {
    PullMappings mappings = new PullMappings(new SiteContent(directories));
    return mappings.forProfile("r4-default").assessor().assess(records, true);
  }
}
