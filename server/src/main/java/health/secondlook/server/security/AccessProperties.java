package health.secondlook.server.security;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call SecondLook's FHIR API ({@code secondlook.security}): the token issuers it trusts,
 * and the organisations it knows, each found from the claims of a token one of those issuers
 * signed.
 *
 * @param issuers trusted issuers by name
 * @param organizations known organisations by name: a referrer's name is its EHR's name in {@code
 *     secondlook.ehrs}, a recipient's its name in {@code secondlook.recipients}
 * @param smart what {@code /fhir/.well-known/smart-configuration} tells a client about getting a
 *     token for SecondLook
 */
@ConfigurationProperties("secondlook.security")
public record AccessProperties(
    @DefaultValue Map<String, TrustedIssuer> issuers,
    @DefaultValue Map<String, Organization> organizations,
    @DefaultValue SmartEndpoints smart) {

  /**
   * The authorisation server a client gets a SecondLook token from.
   *
   * @param tokenEndpoint its token endpoint; unset, SecondLook publishes no SMART configuration
   * @param authorizationEndpoint its authorization endpoint, for user-facing apps
   */
  public record SmartEndpoints(URI tokenEndpoint, URI authorizationEndpoint) {}

  /**
   * An authorisation server whose access tokens SecondLook accepts.
   *
   * @param issuerUri its {@code iss}, exactly
   * @param jwkSetUri where its signing keys are; empty = from its OpenID/OAuth discovery document
   * @param audience the {@code aud} its tokens for SecondLook carry
   */
  public record TrustedIssuer(URI issuerUri, URI jwkSetUri, String audience) {}

  /**
   * An organisation and how its users' and systems' tokens are recognised: issued by {@code issuer}
   * and carrying one of {@code clientIds} (as {@code client_id}, {@code azp} or {@code sub}) or one
   * of {@code fhirUsers}; with both lists empty, every token of that issuer is the organisation's.
   *
   * @param notificationEndpoints where its Subscriptions may send notifications: an entry ending in
   *     {@code /} allows every URL under it, any other only itself
   */
  public record Organization(
      CallerRole role,
      String issuer,
      @DefaultValue List<String> clientIds,
      @DefaultValue List<String> fhirUsers,
      @DefaultValue List<String> notificationEndpoints) {}
}
