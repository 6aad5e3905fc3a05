package health.secondlook.server.web;

import health.secondlook.server.launch.LaunchLogin;
import health.secondlook.server.launch.SignedInUser;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.stereotype.Component;

/**
 * The signed-in user's access token for the party they came through, as the launch left it in their
 * session. Pages read the EHR with it while the user is looking; the pull, which runs later and may
 * retry for hours, uses the EHR's Backend Services client instead.
 */
@Component
class LaunchedSession {

  private final LaunchLogin login;

  LaunchedSession(LaunchLogin login) {
    this.login = login;
  }

  Optional<String> accessToken(Authentication authentication, HttpServletRequest request) {
    if (!(authentication.getPrincipal() instanceof SignedInUser user)) {
      return Optional.empty();
    }
    OAuth2AuthorizedClient client =
        login
            .authorizedClients()
            .loadAuthorizedClient(user.registrationId(), authentication, request);
    return Optional.ofNullable(client).map(c -> c.getAccessToken().getTokenValue());
  }
}
