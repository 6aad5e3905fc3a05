package health.secondlook.server.launch;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;

/**
 * Where a completed launch or sign-in lands: a referrer on the referral composer for the patient in
 * context; a specialist launched with a referral's Task on that referral; any other specialist on
 * the page they asked for, or the worklist.
 */
class LaunchSuccessHandler implements AuthenticationSuccessHandler {

  /** The referral composer, for the patient the launch put in context. */
  public static final String COMPOSER = "/referrer/compose";

  public static final String WORKLIST = "/specialist";

  /** Opens the referral a specialist's EHR put in context. */
  public static final String LAUNCHED_REFERRAL = "/specialist/launched";

  private final HttpSessionRequestCache requests = new HttpSessionRequestCache();
  private final DefaultRedirectStrategy redirects = new DefaultRedirectStrategy();

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException {
    SavedRequest saved = requests.getRequest(request, response);
    requests.removeRequest(request, response);
    String target;
    if (!(authentication.getPrincipal() instanceof SignedInUser user)) {
      target = "/";
    } else if (user.isReferrer()) {
      target = COMPOSER;
    } else if (!user.contextReferences().isEmpty()) {
      target = LAUNCHED_REFERRAL;
    } else if (saved != null && saved.getRedirectUrl().contains("/specialist")) {
      target = saved.getRedirectUrl();
    } else {
      target = WORKLIST;
    }
    redirects.sendRedirect(request, response, target);
  }
}
