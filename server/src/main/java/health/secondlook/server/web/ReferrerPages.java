package health.secondlook.server.web;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import health.secondlook.mappings.CompletenessReport;
import health.secondlook.server.ehr.EhrClients;
import health.secondlook.server.ehr.EhrDirectory;
import health.secondlook.server.ehr.EhrEndpoint;
import health.secondlook.server.launch.SignedInUser;
import health.secondlook.server.pull.RecordsPreview;
import health.secondlook.server.referral.RecipientDirectory;
import health.secondlook.server.referral.ReferralTasks;
import health.secondlook.server.review.FeedbackDocument;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * The referring clinician's pages, after a SMART launch from the patient's chart: the composer
 * (patient banner, a preview of what the packet will carry from the EHR's live data, the patient's
 * questions, urgency and the receiving organisation), and the referral's status page, which follows
 * it through the loop and shows the specialist's answer when it comes back.
 */
@Controller
@RequestMapping("/referrer")
class ReferrerPages {

  private final EhrDirectory ehrs;
  private final RecordsPreview previews;
  private final RecipientDirectory recipients;
  private final PageTerminology terminology;
  private final LaunchedSession session;
  private final SecondLookApi api;
  private final ReferralRequests requests;
  private final Clock clock;

  ReferrerPages(
      EhrDirectory ehrs,
      RecordsPreview previews,
      RecipientDirectory recipients,
      PageTerminology terminology,
      LaunchedSession session,
      SecondLookApi api,
      ReferralRequests requests,
      Clock clock) {
    this.ehrs = ehrs;
    this.previews = previews;
    this.recipients = recipients;
    this.terminology = terminology;
    this.session = session;
    this.api = api;
    this.requests = requests;
    this.clock = clock;
  }

  @GetMapping("/compose")
  String compose(
      @AuthenticationPrincipal SignedInUser user,
      Authentication authentication,
      HttpServletRequest request,
      Model model) {
    return composer(user, authentication, request, model, new ReferralForm(), List.of());
  }

  @PostMapping("/referrals")
  String submit(
      @AuthenticationPrincipal SignedInUser user,
      Authentication authentication,
      @ModelAttribute ReferralForm form,
      HttpServletRequest request,
      Model model) {
    try {
      Task task = requests.submit(user, form);
      return "redirect:/referrer/referrals/" + task.getIdElement().getIdPart();
    } catch (BaseServerResponseException refused) {
      return composer(user, authentication, request, model, form, Problems.of(refused));
    }
  }

  @GetMapping("/referrals/{id}")
  String status(@AuthenticationPrincipal SignedInUser user, @PathVariable String id, Model model) {
    Task task = ownReferral(user, id);
    ReferralView referral = ReferralView.of(task, today());
    model.addAttribute("referral", referral);
    model.addAttribute("patientId", user.patientId().orElse(""));
    ReferralTasks.output(task, ReferralTasks.FEEDBACK_OUTPUT)
        .map(
            reference ->
                api.client().read().resource(Bundle.class).withId(new IdType(reference)).execute())
        .map(FeedbackDocument::review)
        .ifPresent(review -> model.addAttribute("review", review));
    return "referrer/status";
  }

  /** "Send without the missing items": the referrer's decision, recorded by {@code $proceed}. */
  @PostMapping("/referrals/{id}/proceed")
  String proceed(@AuthenticationPrincipal SignedInUser user, @PathVariable String id) {
    ownReferral(user, id);
    api.client()
        .operation()
        .onInstance(new IdType("Task", id))
        .named("$proceed")
        .withNoParameters(Parameters.class)
        .execute();
    return "redirect:/referrer/referrals/" + id;
  }

  private String composer(
      SignedInUser user,
      Authentication authentication,
      HttpServletRequest request,
      Model model,
      ReferralForm form,
      List<String> errors) {
    String patientId = user.patientId().orElseThrow();
    EhrEndpoint ehr = ehrs.find(user.partyName()).orElseThrow();
    model.addAttribute("form", form);
    model.addAttribute("errors", errors);
    model.addAttribute("questions", terminology.questions());
    model.addAttribute("recipients", recipientChoices());
    model.addAttribute("today", today());
    String token =
        session
            .accessToken(authentication, request)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED));
    try {
      IGenericClient client =
          EhrClients.plainClient(
              ehr.baseUrl(), token, ehr.limits().connectTimeout(), ehr.limits().readTimeout());
      Patient patient = client.read().resource(Patient.class).withId(patientId).execute();
      model.addAttribute("patient", PatientBanner.of(patient));
      RecordsPreview.Preview preview = previews.preview(ehr.name(), patientId, token);
      model.addAttribute("items", PreviewItem.of(preview, terminology));
      model.addAttribute("complete", preview.report().complete());
      model.addAttribute(
          "missing",
          preview.report().missing().stream().map(CompletenessReport.Item::display).toList());
    } catch (AuthenticationException | ForbiddenOperationException expired) {
      model.addAttribute("title", "Your EHR sign-in has ended");
      model.addAttribute(
          "detail",
          "The EHR no longer accepts this session's access. Open SecondLook again from the"
              + " patient's chart.");
      return "launch/problem";
    }
    return "referrer/compose";
  }

  private Map<String, String> recipientChoices() {
    Map<String, String> choices = new TreeMap<>();
    for (String name : recipients.names()) {
      String display = recipients.find(name).orElseThrow().display();
      choices.put(name, display == null ? name : display);
    }
    return choices;
  }

  /** A referral of this user's EHR and launched patient; any other is "not found". */
  private Task ownReferral(SignedInUser user, String id) {
    Task task;
    try {
      task = api.client().read().resource(Task.class).withId(id).execute();
    } catch (BaseServerResponseException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
    if (!user.partyName().equals(ReferralTasks.sourceEhr(task))
        || !user.patientId().orElse("").equals(ReferralTasks.sourcePatient(task))) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
    return task;
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(java.time.ZoneId.systemDefault()));
  }
}
