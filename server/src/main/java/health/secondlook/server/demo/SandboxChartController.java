package health.secondlook.server.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Demo only: the sandbox EHR's own pages, standing in for a real EHR's user interface. A patient
 * list, a patient chart with a "Request a second opinion" button that performs a real SMART EHR
 * launch of SecondLook, the patient picker of a standalone launch, and the tumour board's own
 * system (the sandbox recipient) listing the referrals it received, each of which launches
 * SecondLook's packet viewer with the referral's Task in context. The chart also shows what
 * SecondLook wrote back: the second-opinion report and the referral's status.
 */
@Controller
@Profile("demo")
class SandboxChartController {

  static final String CHART_PATH = SandboxIssuerConfiguration.ISSUER_PATH + "/chart";
  static final String PICK_PATIENT_PATH = SandboxIssuerConfiguration.ISSUER_PATH + "/pick-patient";
  static final String SPECIALIST_EHR_PATH = "/sandbox-recipient/worklist";

  private static final String SECOND_OPINION_REPORT = "11488-4";

  private final SandboxLaunchContexts launches;
  private final SandboxStaffTokens staffTokens;
  private final FhirContext fhir = FhirContext.forR4Cached();

  SandboxChartController(SandboxLaunchContexts launches, SandboxStaffTokens staffTokens) {
    this.launches = launches;
    this.staffTokens = staffTokens;
  }

  @GetMapping(SandboxIssuerConfiguration.LOGIN_PATH)
  String login() {
    return "sandbox/login";
  }

  @GetMapping(CHART_PATH)
  String patients(HttpServletRequest request, Model model) {
    model.addAttribute("patients", patients(request));
    return "sandbox/patients";
  }

  @GetMapping(CHART_PATH + "/{patientId}")
  String chart(@PathVariable String patientId, HttpServletRequest request, Model model) {
    IGenericClient ehr = client(request, DemoSandboxConfiguration.SANDBOX_PATH);
    Patient patient = readPatient(ehr, patientId);
    model.addAttribute("patient", patient);
    model.addAttribute(
        "conditions", search(ehr, "Condition?patient=" + patientId, Condition.class));
    model.addAttribute(
        "opinions",
        search(
            ehr,
            "DocumentReference?patient="
                + patientId
                + "&type=http://loinc.org|"
                + SECOND_OPINION_REPORT,
            DocumentReference.class));
    model.addAttribute("referrals", search(ehr, "Task?patient=" + patientId, Task.class));
    return "sandbox/chart";
  }

  /** The chart's "Request a second opinion": an EHR launch with this patient in context. */
  @PostMapping(CHART_PATH + "/{patientId}/second-opinion")
  String requestSecondOpinion(@PathVariable String patientId, HttpServletRequest request) {
    readPatient(client(request, DemoSandboxConfiguration.SANDBOX_PATH), patientId);
    return launch(
        request, DemoSandboxConfiguration.SANDBOX_PATH, launches.create(patientId, List.of()));
  }

  @GetMapping(PICK_PATIENT_PATH)
  String pickPatient(
      @RequestParam("continue") String resume, HttpServletRequest request, Model model) {
    model.addAttribute("resume", checkedResume(resume));
    model.addAttribute("patients", patients(request));
    return "sandbox/pick-patient";
  }

  @PostMapping(PICK_PATIENT_PATH)
  String pickedPatient(
      @RequestParam("continue") String resume,
      @RequestParam String patient,
      HttpServletRequest request) {
    readPatient(client(request, DemoSandboxConfiguration.SANDBOX_PATH), patient);
    return "redirect:" + checkedResume(resume) + "&launch=" + launches.create(patient, List.of());
  }

  @GetMapping(SPECIALIST_EHR_PATH)
  String specialistEhr(HttpServletRequest request, Model model) {
    IGenericClient recipient = client(request, DemoSandboxConfiguration.RECIPIENT_PATH);
    List<Task> tasks = search(recipient, "Task", Task.class);
    model.addAttribute("tasks", tasks);
    return "sandbox/specialist-ehr";
  }

  /** Opens a received referral in SecondLook: an EHR launch with its Task in fhirContext. */
  @PostMapping(SPECIALIST_EHR_PATH + "/{taskId}/open")
  String openReferral(@PathVariable String taskId, HttpServletRequest request) {
    Map<String, Object> context = Map.of("reference", "Task/" + taskId);
    return launch(
        request, DemoSandboxConfiguration.RECIPIENT_PATH, launches.create(null, List.of(context)));
  }

  private static String launch(HttpServletRequest request, String fhirPath, String launch) {
    String host = ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
    return "redirect:"
        + UriComponentsBuilder.fromUriString(host + "/launch")
            .queryParam("iss", host + fhirPath)
            .queryParam("launch", launch)
            .encode()
            .build()
            .toUriString();
  }

  /** Only the sandbox's own authorisation requests may be resumed: no open redirect. */
  private static String checkedResume(String resume) {
    if (resume == null
        || !resume.startsWith(SandboxIssuerConfiguration.ISSUER_PATH + "/oauth2/authorize?")) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "not an authorisation request");
    }
    return resume;
  }

  private List<Patient> patients(HttpServletRequest request) {
    List<Patient> patients =
        search(
            client(request, DemoSandboxConfiguration.SANDBOX_PATH),
            "Patient?_count=50",
            Patient.class);
    return patients.stream()
        .sorted(Comparator.comparing(p -> p.getNameFirstRep().getFamily() + p.getIdPart()))
        .toList();
  }

  private static Patient readPatient(IGenericClient ehr, String patientId) {
    if (!patientId.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such patient");
    }
    try {
      return ehr.read().resource(Patient.class).withId(patientId).execute();
    } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such patient");
    }
  }

  private static <T extends Resource> List<T> search(
      IGenericClient client, String query, Class<T> type) {
    Bundle bundle = client.search().byUrl(query).returnBundle(Bundle.class).execute();
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private IGenericClient client(HttpServletRequest request, String fhirPath) {
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    String host = "http://localhost:" + request.getLocalPort();
    IGenericClient client = fhir.newRestfulGenericClient(host + fhirPath);
    client.registerInterceptor(
        new BearerTokenAuthInterceptor(
            staffTokens.token(host + SandboxIssuerConfiguration.ISSUER_PATH)));
    return client;
  }
}
