package health.secondlook.server.smart;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How SecondLook signs a person in as a confidential OAuth2 client of one party: a SMART App Launch
 * client of a referring EHR ({@code secondlook.ehrs.<name>.launch.*}) or of a specialist's EHR, or
 * an OpenID Connect client of a receiving organisation's identity provider ({@code
 * secondlook.recipients.<name>.sign-in.*}).
 *
 * @param issuer the FHIR base URL (the SMART {@code iss}) whose {@code
 *     .well-known/smart-configuration} names the endpoints, or for OpenID Connect sign-in the
 *     issuer whose {@code .well-known/openid-configuration} does; for a referring EHR, by default
 *     its {@code base-url}
 * @param clientId the client id the EHR or identity provider registered SecondLook under
 * @param clientSecret the secret for {@code client-secret-basic}; from the environment, never a
 *     file in git
 * @param clientAuthentication {@code client-secret-basic} or {@code private-key-jwt}
 * @param keyFile PEM PKCS#8 private key (RSA or EC P-384) or PKCS#12 store for {@code
 *     private-key-jwt}
 * @param keyId JWS {@code kid} the EHR knows that key by
 * @param keyPassword PKCS#12 password
 * @param scope space-separated scopes asked for; SMART v2 by default
 */
public record LaunchClient(
    URI issuer,
    String clientId,
    String clientSecret,
    @DefaultValue("client-secret-basic") ClientAuthentication clientAuthentication,
    Path keyFile,
    String keyId,
    String keyPassword,
    String scope) {

  /** The scopes of an EHR launch when none are configured. */
  public static final String EHR_LAUNCH_SCOPE = "launch openid fhirUser patient/*.rs";

  /** How SecondLook proves who it is at the token endpoint. */
  public enum ClientAuthentication {
    CLIENT_SECRET_BASIC,
    PRIVATE_KEY_JWT
  }

  public LaunchClient {
    clientAuthentication =
        clientAuthentication == null
            ? ClientAuthentication.CLIENT_SECRET_BASIC
            : clientAuthentication;
  }

  /** This client with the issuer filled in when none was configured. */
  public LaunchClient withDefaultIssuer(URI defaultIssuer) {
    return issuer != null
        ? this
        : new LaunchClient(
            defaultIssuer,
            clientId,
            clientSecret,
            clientAuthentication,
            keyFile,
            keyId,
            keyPassword,
            scope);
  }

  /** The configured scopes, or {@code fallback}. */
  public String scopeOr(String fallback) {
    return scope == null || scope.isBlank() ? fallback : scope.strip();
  }

  /**
   * What is wrong with these settings, each naming the full property under {@code prefix} (e.g.
   * {@code secondlook.ehrs.hospital-a.launch.}); empty if fine.
   */
  public List<String> problems(String prefix) {
    List<String> problems = new ArrayList<>();
    if (issuer != null
        && (!("http".equals(issuer.getScheme()) || "https".equals(issuer.getScheme()))
            || issuer.getHost() == null)) {
      problems.add(prefix + "issuer: must be an http or https URL, not '" + issuer + "'");
    }
    if (blank(clientId)) {
      problems.add(prefix + "client-id: required");
    }
    switch (clientAuthentication) {
      case CLIENT_SECRET_BASIC -> {
        if (blank(clientSecret)) {
          problems.add(
              prefix + "client-secret: required when client-authentication is client-secret-basic");
        }
      }
      case PRIVATE_KEY_JWT -> {
        if (keyFile == null || !Files.isReadable(keyFile)) {
          problems.add(
              prefix
                  + "key-file: a readable key is required when client-authentication is"
                  + " private-key-jwt"
                  + (keyFile == null ? "" : " (not readable: " + keyFile + ")"));
        }
        if (blank(keyId)) {
          problems.add(prefix + "key-id: required when client-authentication is private-key-jwt");
        }
      }
    }
    return problems;
  }

  /** Never prints the secret or the key password. */
  @Override
  public String toString() {
    return "client " + clientId + " at " + issuer + " (" + clientAuthentication + ")";
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
