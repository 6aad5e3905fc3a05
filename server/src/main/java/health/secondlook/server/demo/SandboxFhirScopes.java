package health.secondlook.server.demo;

import java.util.Collection;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Demo only: what the sandbox EHR's FHIR API lets a token do, from its SMART scopes, as an EHR
 * would: reading and searching need a scope with {@code r} or {@code s} (or v1 {@code read});
 * creating and updating, {@code c} or {@code u} (or {@code write}); deleting, {@code d}. Any
 * resource type and any of {@code patient/}, {@code user/} and {@code system/} will do: the sandbox
 * checks that a caller was let in for the kind of access, not which records a patient-level token
 * may see.
 */
final class SandboxFhirScopes implements AuthorizationManager<RequestAuthorizationContext> {

  private static final Pattern SCOPE =
      Pattern.compile("SCOPE_(?:patient|user|system)/[A-Za-z*]+\\.([a-z]+)");

  @Override
  public AuthorizationDecision check(
      Supplier<Authentication> authentication, RequestAuthorizationContext context) {
    // An anonymous caller has no SCOPE_ authority, so it is refused here and asked for a token.
    String needed = needed(context.getRequest().getMethod(), context.getRequest().getRequestURI());
    return new AuthorizationDecision(grants(authentication.get().getAuthorities(), needed));
  }

  /** The permission letters, any one of which allows the request. */
  private static String needed(String method, String path) {
    return switch (method) {
      case "GET", "HEAD" -> "rs";
      case "DELETE" -> "d";
      default -> path.endsWith("/_search") ? "s" : "cu";
    };
  }

  private static boolean grants(Collection<? extends GrantedAuthority> authorities, String needed) {
    for (GrantedAuthority authority : authorities) {
      Matcher scope = SCOPE.matcher(authority.getAuthority());
      if (scope.matches() && allows(scope.group(1), needed)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allows(String permissions, String needed) {
    if (permissions.equals("read")) {
      return needed.contains("r") || needed.contains("s");
    }
    if (permissions.equals("write")) {
      return needed.contains("c") || needed.contains("u") || needed.contains("d");
    }
    return permissions.chars().anyMatch(p -> needed.indexOf(p) >= 0);
  }
}
