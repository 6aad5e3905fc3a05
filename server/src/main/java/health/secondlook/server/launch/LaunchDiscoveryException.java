package health.secondlook.server.launch;

/**
 * A party's endpoints could not be discovered: its {@code .well-known} document is unreachable, not
 * JSON, or lacks what SecondLook needs (an authorisation and token endpoint, a JWKS for ID tokens,
 * PKCE S256). The message says which, and names the URL tried.
 */
class LaunchDiscoveryException extends RuntimeException {

  LaunchDiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }

  LaunchDiscoveryException(String message) {
    super(message);
  }
}
