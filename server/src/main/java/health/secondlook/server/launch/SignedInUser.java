package health.secondlook.server.launch;

import java.io.Serial;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

/**
 * The person using SecondLook's pages, as the launch or sign-in established them: who they are
 * ({@code fhirUser}, or the ID token's subject), which party they came through, and the launch
 * context the EHR gave: the patient for a referrer, a referral's Task for a specialist.
 */
public final class SignedInUser extends DefaultOidcUser {

  @Serial private static final long serialVersionUID = 1L;

  /** Authority of a referring clinician launched from a referring EHR. */
  public static final String REFERRER = "ROLE_REFERRER";

  /** Authority of a specialist of a receiving organisation. */
  public static final String SPECIALIST = "ROLE_SPECIALIST";

  private final String partyName;
  private final String issuer;
  private final String registrationId;
  private final String patientId;
  private final List<String> contextReferences;

  SignedInUser(
      Collection<? extends GrantedAuthority> authorities,
      OidcIdToken idToken,
      OidcUserInfo userInfo,
      String registrationId,
      String partyName,
      String issuer,
      String patientId,
      List<String> contextReferences) {
    super(authorities, idToken, userInfo, "sub");
    this.registrationId = registrationId;
    this.partyName = partyName;
    this.issuer = issuer;
    this.patientId = patientId;
    this.contextReferences = List.copyOf(contextReferences);
  }

  /** The configured EHR (for a referrer) or recipient (for a specialist) they came through. */
  public String partyName() {
    return partyName;
  }

  /** The EHR's FHIR base URL (SMART {@code iss}), or the identity provider they signed in with. */
  public String issuer() {
    return issuer;
  }

  /** The Spring client registration their tokens belong to. */
  public String registrationId() {
    return registrationId;
  }

  /** The patient in context at the EHR (the token response's {@code patient}), if any. */
  public Optional<String> patientId() {
    return Optional.ofNullable(patientId);
  }

  /** The {@code fhirContext} references, e.g. {@code Task/123}, in the order given. */
  public List<String> contextReferences() {
    return contextReferences;
  }

  /** {@code fhirUser} from the ID token (e.g. a Practitioner URL), else the subject. */
  public String who() {
    Object fhirUser = getClaims().get("fhirUser");
    return fhirUser != null ? fhirUser.toString() : getSubject();
  }

  /** The name to greet them with. */
  public String displayName() {
    String name = getFullName();
    return name != null ? name : Optional.ofNullable(getPreferredUsername()).orElse(who());
  }

  public boolean isReferrer() {
    return getAuthorities().stream().anyMatch(a -> REFERRER.equals(a.getAuthority()));
  }

  public boolean isSpecialist() {
    return getAuthorities().stream().anyMatch(a -> SPECIALIST.equals(a.getAuthority()));
  }
}
