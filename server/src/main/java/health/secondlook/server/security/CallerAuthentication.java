package health.secondlook.server.security;

import java.io.Serial;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** A FHIR API request authenticated by a bearer token, with the {@link Caller} it maps to. */
final class CallerAuthentication extends JwtAuthenticationToken {

  @Serial private static final long serialVersionUID = 1L;

  private final transient Caller caller;

  CallerAuthentication(Jwt jwt, Caller caller) {
    super(jwt, List.of(), caller.subject());
    this.caller = caller;
    setAuthenticated(true);
  }

  Caller caller() {
    return caller;
  }

  /** The caller of the FHIR request this thread is serving, if it came with a valid token. */
  static Optional<Caller> current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication instanceof CallerAuthentication c
        ? Optional.of(c.caller())
        : Optional.empty();
  }
}
