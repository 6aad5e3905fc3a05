package health.secondlook.server.security;

import health.secondlook.server.security.AccessProperties.Organization;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Maps a validated token to the organisation it speaks for, from configuration ({@code
 * secondlook.security.organizations}): the token's issuer, then its client or {@code fhirUser}.
 */
final class CallerDirectory {

  private final Map<String, Organization> organizations;

  CallerDirectory(Map<String, Organization> organizations) {
    this.organizations = Map.copyOf(organizations);
  }

  Caller caller(String issuerName, Jwt jwt) {
    String client = client(jwt);
    Optional<String> fhirUser = Optional.ofNullable(jwt.getClaimAsString("fhirUser"));
    Optional<Map.Entry<String, Organization>> match =
        organizations.entrySet().stream()
            .filter(e -> issuerName.equals(e.getValue().issuer()))
            .filter(e -> recognises(e.getValue(), client, fhirUser))
            .findFirst();
    return new Caller(
        match.map(Map.Entry::getKey),
        match.map(e -> e.getValue().role()),
        SmartScopes.parse(scopes(jwt)),
        issuerName,
        Objects.requireNonNullElse(jwt.getSubject(), client),
        client,
        fhirUser,
        Optional.ofNullable(jwt.getClaimAsString("patient")));
  }

  Optional<Organization> organization(String name) {
    return Optional.ofNullable(organizations.get(name));
  }

  private static boolean recognises(Organization org, String client, Optional<String> fhirUser) {
    if (org.clientIds().isEmpty() && org.fhirUsers().isEmpty()) {
      return true;
    }
    return org.clientIds().contains(client)
        || fhirUser.filter(org.fhirUsers()::contains).isPresent();
  }

  private static String client(Jwt jwt) {
    return Stream.of("client_id", "azp")
        .map(jwt::getClaimAsString)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(jwt.getSubject());
  }

  /** {@code scope} as RFC 9068's space-separated string, or as a list (Spring AS, {@code scp}). */
  private static List<String> scopes(Jwt jwt) {
    for (String claim : List.of("scope", "scp")) {
      Object value = jwt.getClaim(claim);
      if (value instanceof String s) {
        return List.of(s.trim().split("\\s+"));
      }
      if (value instanceof Collection<?> c) {
        return c.stream().map(String::valueOf).toList();
      }
    }
    return List.of();
  }
}
