/**
 * Signing people in to SecondLook's pages: SMART App Launch 2.2 (EHR launch with {@code iss} and
 * {@code launch}, standalone launch with a patient picker) for referring clinicians and for
 * specialists in their own EHR, and OpenID Connect sign-in for specialists outside an EHR. Built on
 * Spring Security's OAuth2 client: this package adds SMART's discovery, {@code launch} and {@code
 * aud}, PKCE S256 and the launch context of the token response.
 */
package health.secondlook.server.launch;
