package health.secondlook.server.web;

import health.secondlook.server.launch.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the signed-in user, if any, on every page's model, for the header. */
@ControllerAdvice
class CurrentUser {

  @ModelAttribute("currentUser")
  SignedInUser currentUser(@AuthenticationPrincipal Object principal) {
    return principal instanceof SignedInUser user ? user : null;
  }
}
