package health.secondlook.server.launch;

import health.secondlook.server.launch.LaunchParty.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Turns a completed launch or sign-in into a {@link SignedInUser}: the ID token's identity, the
 * role the party gives (referrer or specialist), and the launch context from the token response. An
 * EHR launch of a referrer whose token response names no {@code patient} is refused: a second
 * opinion is always about one patient, and SecondLook never guesses which.
 */
class LaunchUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

  /** The error code of a token response without the patient a referrer's launch needs. */
  static final String MISSING_PATIENT = "missing_patient_context";

  private final OidcUserService spring = new OidcUserService();
  private final LaunchParties parties;

  LaunchUserService(LaunchParties parties) {
    this.parties = parties;
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) {
    OidcUser user = spring.loadUser(request);
    String registrationId = request.getClientRegistration().getRegistrationId();
    LaunchParty party =
        parties
            .byRegistrationId(registrationId)
            .orElseThrow(
                () -> refused("unknown_party", "No party is configured as " + registrationId));
    Map<String, Object> response = request.getAdditionalParameters();
    String patient = response.get("patient") instanceof String p && !p.isBlank() ? p : null;
    if (party.kind() == Kind.REFERRER_LAUNCH && patient == null) {
      throw refused(
          MISSING_PATIENT,
          "The EHR at "
              + party.issuer()
              + " signed you in but did not say which patient's chart you launched from"
              + " (no 'patient' in its token response).");
    }
    String role =
        party.kind() == Kind.REFERRER_LAUNCH ? SignedInUser.REFERRER : SignedInUser.SPECIALIST;
    return new SignedInUser(
        List.of(new SimpleGrantedAuthority(role)),
        user.getIdToken(),
        user.getUserInfo(),
        registrationId,
        party.name(),
        party.issuer(),
        patient,
        contextReferences(response.get("fhirContext")));
  }

  /** SMART 2.2 {@code fhirContext}: objects with a {@code reference}, e.g. {@code Task/123}. */
  private static List<String> contextReferences(Object fhirContext) {
    List<String> references = new ArrayList<>();
    if (fhirContext instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map && map.get("reference") instanceof String reference) {
          references.add(reference);
        }
      }
    }
    return references;
  }

  private static OAuth2AuthenticationException refused(String code, String description) {
    return new OAuth2AuthenticationException(new OAuth2Error(code, description, null), description);
  }
}
