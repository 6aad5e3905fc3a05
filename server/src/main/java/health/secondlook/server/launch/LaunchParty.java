package health.secondlook.server.launch;

import health.secondlook.server.smart.LaunchClient;

/**
 * One party people sign in through, as a Spring OAuth2 client registration: a referring EHR's SMART
 * launch, a specialist EHR's SMART launch, or a receiving organisation's OpenID Connect identity
 * provider.
 *
 * @param registrationId the Spring client registration id, also the last segment of the redirect
 *     URI {@code /login/oauth2/code/{registrationId}}
 * @param name the configured EHR or recipient name
 */
public record LaunchParty(String registrationId, Kind kind, String name, LaunchClient client) {

  /** Who signs in through the party, and how. */
  public enum Kind {
    /** A referring clinician, launched from a patient's chart (SMART). */
    REFERRER_LAUNCH("ehr-"),
    /** A specialist, launched from their own EHR with a referral's Task in context (SMART). */
    SPECIALIST_LAUNCH("specialist-ehr-"),
    /** A specialist outside any EHR (OpenID Connect). */
    SPECIALIST_SIGN_IN("sign-in-");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    String registrationId(String name) {
      return prefix + name;
    }

    boolean smart() {
      return this != SPECIALIST_SIGN_IN;
    }
  }

  static LaunchParty of(Kind kind, String name, LaunchClient client) {
    return new LaunchParty(kind.registrationId(name), kind, name, client);
  }

  /** The SMART {@code iss} (a FHIR base URL), or the OpenID issuer, without a trailing slash. */
  public String issuer() {
    return client.issuer().toString().replaceAll("/+$", "");
  }
}
