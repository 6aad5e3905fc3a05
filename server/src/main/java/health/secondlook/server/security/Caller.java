package health.secondlook.server.security;

import java.util.Optional;

/**
 * Who is calling SecondLook's FHIR API, from a validated token: the organisation its claims map to
 * (empty when no configured organisation matches), what that organisation is to the loop, the
 * token's SMART scopes, and the patient in context for {@code patient/} scopes.
 *
 * @param subject the token's {@code sub}, for the audit trail
 * @param client the client the token was issued to
 */
public record Caller(
    Optional<String> organization,
    Optional<CallerRole> role,
    SmartScopes scopes,
    String issuer,
    String subject,
    String client,
    Optional<String> fhirUser,
    Optional<String> patient) {

  boolean is(CallerRole wanted) {
    return role.filter(wanted::equals).isPresent();
  }

  /** The organisation's name; only for a caller whose organisation is known. */
  String org() {
    return organization.orElseThrow();
  }
}
