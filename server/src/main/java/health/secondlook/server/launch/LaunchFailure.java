package health.secondlook.server.launch;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

/**
 * What a person is told when a launch or sign-in fails, by the OAuth2 error it ended in. Nothing
 * from the EHR's own error text is shown unless SecondLook wrote it, and never a stack trace.
 */
record LaunchFailure(int status, String title, String detail) {

  private static final String AGAIN = " Start again from the patient's chart or the sign-in page.";

  static LaunchFailure explain(AuthenticationException failure) {
    String code =
        failure instanceof OAuth2AuthenticationException oauth
            ? oauth.getError().getErrorCode()
            : "unknown";
    return switch (code) {
      case "access_denied" ->
          new LaunchFailure(
              403,
              "Access was not granted",
              "The EHR's sign-in ended without granting SecondLook access (access_denied)."
                  + " Nothing was read or sent."
                  + AGAIN);
      case "authorization_request_not_found" ->
          new LaunchFailure(
              400,
              "This sign-in was not started here",
              "The EHR's answer did not match a sign-in this browser started (its state did"
                  + " not match), so it was refused."
                  + AGAIN);
      case "invalid_grant", "invalid_token_response" ->
          new LaunchFailure(
              400,
              "The sign-in code was refused",
              "The EHR would not exchange the sign-in code for access: it may have expired or"
                  + " been used already."
                  + AGAIN);
      case LaunchUserService.MISSING_PATIENT ->
          new LaunchFailure(400, "No patient in context", failure.getMessage() + AGAIN);
      case "invalid_id_token", "invalid_nonce" ->
          new LaunchFailure(
              401,
              "Your identity could not be verified",
              "The ID token from the sign-in could not be verified." + AGAIN);
      default ->
          new LaunchFailure(
              400, "Sign-in failed", "The sign-in did not complete (" + code + ")." + AGAIN);
    };
  }
}
