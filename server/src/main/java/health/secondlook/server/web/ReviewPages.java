package health.secondlook.server.web;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import health.secondlook.server.launch.SignedInUser;
import health.secondlook.terminology.TerminologyContent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The review form: outcome, agreement with the diagnosis, an answer to each question the patient
 * asked on this referral, the recommended plan, trials and a summary; sent as {@code
 * $submit-review}, whose problems come back beside the form with everything entered kept.
 */
@Controller
@RequestMapping("/specialist/referrals/{id}/review")
class ReviewPages {

  /** One question the patient asked, as the specialist answers it. */
  record AskedQuestion(String linkId, String text) {}

  private static final String URI = "urn:ietf:rfc:3986";

  private final SecondLookApi api;
  private final PageTerminology terminology;
  private final SpecialistReferrals referrals;

  ReviewPages(SecondLookApi api, PageTerminology terminology, SpecialistReferrals referrals) {
    this.api = api;
    this.terminology = terminology;
    this.referrals = referrals;
  }

  @GetMapping
  String form(@AuthenticationPrincipal SignedInUser user, @PathVariable String id, Model model) {
    return page(user, id, new ReviewForm(), List.of(), model);
  }

  @PostMapping
  String submit(
      @AuthenticationPrincipal SignedInUser user,
      @PathVariable String id,
      @ModelAttribute ReviewForm form,
      Model model,
      RedirectAttributes flash) {
    referrals.owned(user, id);
    try {
      api.client()
          .operation()
          .onInstance(new IdType("Task", id))
          .named("$submit-review")
          .withParameters(parameters(user, form))
          .execute();
    } catch (BaseServerResponseException refused) {
      return page(user, id, form, Problems.of(refused), model);
    }
    flash.addFlashAttribute("notice", "Your review was signed and sent to the referring team.");
    return "redirect:/specialist/referrals/" + id;
  }

  private String page(
      SignedInUser user, String id, ReviewForm form, List<String> errors, Model model) {
    Task task = referrals.owned(user, id);
    model.addAttribute("referral", ReferralView.of(task, java.time.LocalDate.now()));
    model.addAttribute("patient", referrals.patient(task).map(PatientBanner::of).orElse(null));
    model.addAttribute("questions", asked(task));
    model.addAttribute("outcomes", terminology.outcomes());
    model.addAttribute("agreements", terminology.agreements());
    model.addAttribute("form", form);
    model.addAttribute("errors", errors);
    return "specialist/review";
  }

  private List<AskedQuestion> asked(Task task) {
    ServiceRequest request =
        api.client()
            .read()
            .resource(ServiceRequest.class)
            .withUrl(task.getFocus().getReference())
            .execute();
    List<AskedQuestion> asked = new ArrayList<>();
    for (Reference info : request.getSupportingInfo()) {
      if (info.getReference() == null
          || !info.getReference().startsWith("QuestionnaireResponse/")) {
        continue;
      }
      QuestionnaireResponse questions =
          api.client()
              .read()
              .resource(QuestionnaireResponse.class)
              .withUrl(info.getReference())
              .execute();
      for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : questions.getItem()) {
        String text =
            ReferralRequests.OWN_QUESTIONS.equals(item.getLinkId())
                ? "In the patient's words: "
                    + String.join(
                        " ",
                        item.getAnswer().stream().map(a -> a.getValue().primitiveValue()).toList())
                : terminology.questionText(item.getLinkId());
        asked.add(new AskedQuestion(item.getLinkId(), text));
      }
    }
    return asked;
  }

  private static Parameters parameters(SignedInUser user, ReviewForm form) {
    Parameters parameters = new Parameters();
    if (!form.getOutcome().isBlank()) {
      parameters.addParameter(
          "outcome", new Coding(TerminologyContent.REVIEW_OUTCOME_SYSTEM, form.getOutcome(), null));
    }
    if (!form.getDiagnosisAgreement().isBlank()) {
      parameters.addParameter("diagnosisAgreement", new CodeType(form.getDiagnosisAgreement()));
    }
    parameters.addParameter("recommendedPlan", new StringType(form.getRecommendedPlan().strip()));
    form.getAnswers()
        .forEach(
            (linkId, text) -> {
              if (text != null && !text.isBlank()) {
                Parameters.ParametersParameterComponent answer =
                    parameters.addParameter().setName("answer");
                answer.addPart().setName("linkId").setValue(new StringType(linkId));
                answer.addPart().setName("text").setValue(new StringType(text.strip()));
              }
            });
    Arrays.stream(form.getTrials().split("\\R"))
        .map(String::strip)
        .filter(t -> !t.isEmpty())
        .forEach(t -> parameters.addParameter("trial", new StringType(t)));
    parameters.addParameter("summary", new StringType(form.getSummary().strip()));
    parameters.addParameter("reviewer", new Identifier().setSystem(URI).setValue(user.who()));
    return parameters;
  }
}
