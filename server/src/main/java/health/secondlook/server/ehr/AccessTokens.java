package health.secondlook.server.ehr;

import health.secondlook.server.smart.SmartBackendServicesClient;
import java.util.Optional;

/**
 * Supplies the bearer token for one EHR's requests (none, a fixed one, or a SMART Backend Services
 * token) and learns from the EHR's answers which tokens it accepts.
 */
interface AccessTokens {

  /** The token for the next request; {@code null} to send no Authorization header. */
  String current();

  /** The EHR answered a request carrying this token with something other than 401. */
  default void accepted(String token) {}

  /**
   * The EHR answered 401 to a request carrying this token.
   *
   * @return whether another try may succeed because it will carry a new token
   */
  default boolean rejected(String token) {
    return false;
  }

  /** Drops any cached token so the next request asks for a new one. */
  default void invalidate() {}

  static AccessTokens none() {
    return () -> null;
  }

  static AccessTokens bearer(String token) {
    return () -> token;
  }

  static AccessTokens smart(SmartBackendServicesClient client) {
    return new Smart(client);
  }

  /**
   * A token the EHR accepted before and now refuses has expired or been revoked: drop it, and a
   * retry with a new one may succeed. A token refused on its first use means the EHR does not
   * accept our credentials; retrying would only repeat that, so each 401 is retried once at most.
   */
  final class Smart implements AccessTokens {
    private final SmartBackendServicesClient client;
    private volatile String lastAccepted;

    private Smart(SmartBackendServicesClient client) {
      this.client = client;
    }

    @Override
    public String current() {
      return client.accessToken();
    }

    @Override
    public void accepted(String token) {
      lastAccepted = token;
    }

    @Override
    public boolean rejected(String token) {
      Optional<String> cached = client.cachedToken();
      boolean stillCached = cached.filter(token::equals).isPresent();
      if (stillCached) {
        client.invalidate();
      }
      // not cached any more: a newer token will go with the retry
      return token.equals(lastAccepted) || !stillCached;
    }

    @Override
    public void invalidate() {
      client.invalidate();
    }
  }
}
