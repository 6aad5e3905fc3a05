package health.secondlook.server.launch;

import health.secondlook.server.launch.LaunchParty.Kind;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The launch URL EHRs are registered with ({@code /launch?iss=…&launch=…}), the standalone launch
 * ({@code /launch?iss=…} without {@code launch}), the sign-in page listing every configured party,
 * and the page every failed launch or sign-in ends on. An {@code iss} that is not configured, or
 * whose SMART configuration cannot be read, is refused here, before anything is sent to it.
 */
@Controller
class LaunchController {

  static final String LAUNCH_PATH = "/launch";
  static final String SIGN_IN_PATH = "/sign-in";
  static final String ERROR_PATH = "/launch/error";

  private final LaunchParties parties;
  private final LaunchRegistrations registrations;

  LaunchController(LaunchParties parties, LaunchRegistrations registrations) {
    this.parties = parties;
    this.registrations = registrations;
  }

  @GetMapping(LAUNCH_PATH)
  String launch(
      @RequestParam(required = false) String iss,
      @RequestParam(required = false) String launch,
      Model model,
      HttpServletResponse response) {
    if (iss == null || iss.isBlank()) {
      return problem(
          model,
          response,
          400,
          "No EHR given",
          "A launch names the EHR it comes from in the 'iss' parameter; this one had none.");
    }
    Optional<LaunchParty> party = parties.byIss(iss);
    if (party.isEmpty()) {
      return problem(
          model,
          response,
          400,
          "SecondLook is not set up for this EHR",
          "The launch came from "
              + iss
              + ", which is not an EHR SecondLook is configured to be launched from. Your"
              + " SecondLook administrator can add it (secondlook.ehrs.<name>.launch).");
    }
    return authorize(party.get(), launch, model, response);
  }

  /**
   * A specialist's sign-in with their organisation's identity provider, which is discovered first,
   * so one that cannot be reached gets a clear page instead of Spring's bare error.
   */
  @GetMapping(SIGN_IN_PATH + "/{registrationId}")
  String signInWith(
      @PathVariable String registrationId, Model model, HttpServletResponse response) {
    Optional<LaunchParty> party =
        parties.byRegistrationId(registrationId).filter(p -> p.kind() == Kind.SPECIALIST_SIGN_IN);
    if (party.isEmpty()) {
      return problem(
          model,
          response,
          404,
          "No such sign-in",
          "SecondLook has no sign-in called "
              + registrationId
              + ". Choose one on the sign-in page.");
    }
    return authorize(party.get(), null, model, response);
  }

  /** Discovers the party's endpoints, then sends the browser on to its authorisation request. */
  private String authorize(
      LaunchParty party, String launch, Model model, HttpServletResponse response) {
    try {
      registrations.registration(party);
    } catch (LaunchDiscoveryException e) {
      String who =
          party.kind() == Kind.SPECIALIST_SIGN_IN
              ? "The identity provider could not be reached"
              : "The EHR could not be reached";
      return problem(model, response, 502, who, e.getMessage());
    }
    UriComponentsBuilder target =
        UriComponentsBuilder.fromPath(SmartAuthorizationRequests.AUTHORIZATION_PATH)
            .pathSegment(party.registrationId());
    if (launch != null && !launch.isBlank()) {
      target.queryParam(SmartAuthorizationRequests.LAUNCH, launch);
    }
    return "redirect:" + target.encode().build().toUriString();
  }

  @GetMapping(SIGN_IN_PATH)
  String signIn(Model model) {
    model.addAttribute("referrerEhrs", parties.ofKind(Kind.REFERRER_LAUNCH));
    model.addAttribute("specialistSignIns", parties.ofKind(Kind.SPECIALIST_SIGN_IN));
    return "launch/sign-in";
  }

  @RequestMapping(ERROR_PATH)
  String failed(HttpServletRequest request, Model model, HttpServletResponse response) {
    Object failure = request.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
    LaunchFailure explained =
        LaunchFailure.explain(failure instanceof AuthenticationException e ? e : null);
    return problem(model, response, explained.status(), explained.title(), explained.detail());
  }

  private static String problem(
      Model model, HttpServletResponse response, int status, String title, String detail) {
    response.setStatus(status);
    model.addAttribute("title", title);
    model.addAttribute("detail", detail);
    return "launch/problem";
  }
}
