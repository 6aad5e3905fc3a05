package health.secondlook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.test.utilities.server.BaseJettyServerExtension;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SandboxEhrServer} itself as the servlet, mounted where demo mode mounts it, so paging
 * links must carry the {@code /sandbox-ehr/fhir} base.
 */
class SandboxEhrServerServletTest {

  @RegisterExtension
  static final ServletExtension SERVER =
      new ServletExtension(new SandboxEhrServer())
          .withServletPath("/sandbox-ehr/fhir/*")
          .keepAliveBetweenTests();

  @Test
  void servesTheSyntheticPatientsWithPagingLinksUnderItsMountPath() {
    IGenericClient client = FhirContext.forR4Cached().newRestfulGenericClient(SERVER.getBaseUrl());
    assertThat(SERVER.getBaseUrl()).endsWith("/sandbox-ehr/fhir");

    CapabilityStatement statement =
        client.capabilities().ofType(CapabilityStatement.class).execute();
    assertThat(statement.getTitle()).isEqualTo(SandboxEhr.NAME);

    Bundle page =
        client
            .search()
            .byUrl("Observation?patient=breast-1&_count=3")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(page.getLink(Bundle.LINK_NEXT).getUrl()).startsWith(SERVER.getBaseUrl() + "?");
    int total = page.getEntry().size();
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      page = client.loadPage().next(page).execute();
      total += page.getEntry().size();
    }
    long expected =
        SyntheticCancerPatients.all().get(0).resources().stream()
            .filter(resource -> resource.fhirType().equals("Observation"))
            .count();
    assertThat(total).isEqualTo(expected);

    Bundle patients = client.search().forResource("Patient").returnBundle(Bundle.class).execute();
    assertThat(patients.getEntry())
        .extracting(entry -> entry.getResource().getIdElement().getIdPart())
        .containsExactlyElementsOf(List.of("breast-1", "lung-1", "colorectal-1", "breast-2"));
  }

  /** HAPI's Jetty test server around a servlet we construct ourselves. */
  static final class ServletExtension extends BaseJettyServerExtension<ServletExtension> {
    private final HttpServlet servlet;

    ServletExtension(HttpServlet servlet) {
      this.servlet = servlet;
    }

    @Override
    protected HttpServlet provideServlet() {
      return servlet;
    }
  }
}
