package health.secondlook.stock;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import health.secondlook.server.support.FhirClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The Synthea 3.3.0 patients the build generated from the project's own seeds (module {@code
 * synthea-patients}, {@code synthea/seed-N/fhir/*.json} on the test classpath), loaded into a stock
 * HAPI JPA server the way a hospital would load them: the hospital and practitioner bundles first,
 * then each patient's transaction, as Synthea wrote it.
 */
public final class SyntheaPatients {

  /** One loaded patient: its id at the server, name, and the cancer Synthea gave it. */
  public record Loaded(String id, String name, String cancer) {}

  private SyntheaPatients() {}

  /** Loads every generated bundle into the server; returns the patients, by file name. */
  public static List<Loaded> loadInto(String baseUrl) {
    IGenericClient server = FhirClients.client(baseUrl);
    List<Resource> files = new ArrayList<>(files());
    // Organisations, locations and practitioners first: the patients reference them by search.
    files.sort(
        Comparator.comparing((Resource f) -> isPatient(f)).thenComparing(Resource::getFilename));
    List<Loaded> patients = new ArrayList<>();
    for (Resource file : files) {
      Bundle bundle = parse(file);
      Bundle response = server.transaction().withBundle(bundle).execute();
      if (isPatient(file)) {
        patients.add(loaded(bundle, response));
      }
    }
    if (patients.isEmpty()) {
      throw new IllegalStateException(
          "No Synthea patient bundle on the classpath (synthea/*/fhir/*.json)");
    }
    return patients;
  }

  private static Loaded loaded(Bundle sent, Bundle response) {
    for (int i = 0; i < sent.getEntry().size(); i++) {
      if (sent.getEntry().get(i).getResource() instanceof Patient patient) {
        String id = new IdType(response.getEntry().get(i).getResponse().getLocation()).getIdPart();
        String cancer =
            sent.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Condition.class::isInstance)
                .map(Condition.class::cast)
                .map(c -> c.getCode().getCodingFirstRep())
                .filter(
                    c ->
                        c.getDisplay() != null
                            && c.getDisplay().toLowerCase().contains("malignant"))
                .map(c -> c.getCode() + " " + c.getDisplay())
                .findFirst()
                .orElse("none");
        return new Loaded(id, patient.getNameFirstRep().getNameAsSingleString(), cancer);
      }
    }
    throw new IllegalStateException("A Synthea patient bundle without a Patient");
  }

  private static boolean isPatient(Resource file) {
    String name = file.getFilename();
    return !name.startsWith("hospitalInformation") && !name.startsWith("practitionerInformation");
  }

  private static List<Resource> files() {
    try {
      return Arrays.asList(
          new PathMatchingResourcePatternResolver()
              .getResources("classpath*:synthea/*/fhir/*.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Bundle parse(Resource file) {
    try (InputStream in = file.getInputStream()) {
      return FhirClients.R4.newJsonParser().parseResource(Bundle.class, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
