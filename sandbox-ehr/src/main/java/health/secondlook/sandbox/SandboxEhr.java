package health.secondlook.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.CommunicationRequest;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.Task;

/**
 * The sandbox referring EHR's data and FHIR API: one in-memory store per resource type a
 * second-opinion pull reads or a write-back writes (DocumentReference, DiagnosticReport,
 * Communication, CommunicationRequest, Task; conditional creates and updates, and transactions of
 * them), seeded with synthetic patients, and {@link #installInto} which turns a HAPI {@link
 * RestfulServer} into that EHR. {@link SandboxEhrServer} is the servlet built this way; tests can
 * pass {@code installInto} to HAPI's {@code RestfulServerExtension#withServer}.
 */
public final class SandboxEhr {

  public static final String NAME = "SecondLook sandbox EHR";
  public static final int DEFAULT_PAGE_SIZE = 20;

  /** Lets a benchmark pull a 600-resource record in a few pages. */
  static final int MAXIMUM_PAGE_SIZE = 500;

  /** Searches kept for paging; the oldest go first, so long pulls must not interleave 1000. */
  private static final int RETAINED_SEARCHES = 1000;

  private final FhirContext context;
  private final int defaultPageSize;
  private final Map<String, InMemoryResourceProvider<?>> providers = new LinkedHashMap<>();

  public SandboxEhr(FhirContext context, int defaultPageSize) {
    this.context = context;
    this.defaultPageSize = defaultPageSize;
    add(new PatientProvider(this::everything));
    Stream.of(
            Condition.class,
            Observation.class,
            DiagnosticReport.class,
            ImagingStudy.class,
            CarePlan.class,
            MedicationRequest.class,
            Procedure.class,
            DocumentReference.class,
            Specimen.class,
            Encounter.class,
            Communication.class,
            // Written by SecondLook: a specialist's request for more information.
            CommunicationRequest.class)
        .forEach(type -> add(new PatientDataProvider<>(type)));
    // Written back by SecondLook: the referral Task, found by its identifier.
    add(new PatientDataProvider<>(Task.class, "for"));
    Stream.of(Endpoint.class, Binary.class, Practitioner.class, Organization.class)
        .forEach(type -> add(new IdSearchProvider<>(type)));
  }

  /** Stores every resource of the given patients, and the shared directory they point at. */
  public SandboxEhr seed(Collection<SyntheticPatient> patients) {
    // the directory only once, so seeding more patients later leaves its versions alone
    for (Resource resource : SyntheticCancerPatients.directory()) {
      if (find(new IdType(resource.fhirType(), resource.getIdPart())).isEmpty()) {
        store(resource);
      }
    }
    patients.forEach(patient -> patient.resources().forEach(this::store));
    return this;
  }

  /** Stores a resource under its own id (a new version if it exists). */
  public void store(Resource resource) {
    InMemoryResourceProvider<?> provider = providers.get(resource.fhirType());
    if (provider == null) {
      throw new IllegalArgumentException("the sandbox EHR holds no " + resource.fhirType());
    }
    storeIn(provider, resource);
  }

  /** Registers the stores, paging and server name on a server that is not yet started. */
  public void installInto(RestfulServer server) {
    server.setServerName(NAME);
    server.setImplementationDescription(NAME + ", synthetic data for SecondLook demos and tests");
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(RETAINED_SEARCHES);
    paging.setDefaultPageSize(defaultPageSize);
    paging.setMaximumPageSize(Math.max(MAXIMUM_PAGE_SIZE, defaultPageSize));
    server.setPagingProvider(paging);
    server.registerProviders(new ArrayList<>(providers.values()));
    server.registerProvider(new SandboxTransactions(context, providers::get));
    server
        .getInterceptorService()
        .registerAnonymousInterceptor(
            Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED,
            (pointcut, params) -> {
              CapabilityStatement statement =
                  (CapabilityStatement) params.get(IBaseConformance.class);
              statement.setName("SecondLookSandboxEHR").setTitle(NAME);
            });
  }

  /**
   * {@code Patient/$everything}: the patient, every resource whose subject is the patient, and
   * whatever those reference (staff, the PACS endpoint, document Binaries), transitively.
   */
  List<Resource> everything(String patientId) {
    Map<String, Resource> found = new LinkedHashMap<>();
    Resource patient =
        find(new IdType("Patient", patientId))
            .orElseThrow(() -> new ResourceNotFoundException(new IdType("Patient", patientId)));
    found.put(key(patient), patient);
    for (InMemoryResourceProvider<?> provider : providers.values()) {
      if (provider instanceof PatientDataProvider<?> data) {
        data.forPatient(patientId).forEach(resource -> found.put(key(resource), resource));
      }
    }
    Deque<Resource> unvisited = new ArrayDeque<>(found.values());
    while (!unvisited.isEmpty()) {
      for (IdType target : referencedIds(unvisited.pop())) {
        if (!found.containsKey(target.getResourceType() + "/" + target.getIdPart())) {
          find(target)
              .ifPresent(
                  resource -> {
                    found.put(key(resource), resource);
                    unvisited.add(resource);
                  });
        }
      }
    }
    return new ArrayList<>(found.values());
  }

  /** Relative references and attachment URLs ({@code Binary/x}) inside a resource. */
  private List<IdType> referencedIds(Resource resource) {
    FhirTerser terser = context.newTerser();
    Stream<String> references =
        terser.getAllPopulatedChildElementsOfType(resource, Reference.class).stream()
            .map(Reference::getReference);
    Stream<String> attachments =
        terser.getAllPopulatedChildElementsOfType(resource, Attachment.class).stream()
            .map(Attachment::getUrl);
    return Stream.concat(references, attachments)
        .filter(Objects::nonNull)
        .map(IdType::new)
        .filter(id -> id.hasResourceType() && id.hasIdPart() && !id.isAbsolute())
        .toList();
  }

  private Optional<? extends Resource> find(IdType id) {
    InMemoryResourceProvider<?> provider = providers.get(id.getResourceType());
    return provider == null ? Optional.empty() : provider.find(id.getIdPart());
  }

  private void add(InMemoryResourceProvider<?> provider) {
    providers.put(provider.getResourceType().getSimpleName(), provider);
  }

  private static String key(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdPart();
  }

  @SuppressWarnings("unchecked")
  private static <T extends Resource> void storeIn(
      InMemoryResourceProvider<T> provider, Resource resource) {
    provider.store((T) resource);
  }
}
