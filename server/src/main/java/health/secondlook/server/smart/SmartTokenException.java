package health.secondlook.server.smart;

/**
 * SecondLook could not obtain a SMART Backend Services access token for an EHR. The message names
 * the EHR and the token URL; {@link #isRetryable()} says whether trying again later may help (the
 * token endpoint was unreachable, overloaded or failing) or not (it refused our credentials).
 */
public class SmartTokenException extends RuntimeException {

  private final boolean retryable;

  SmartTokenException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean isRetryable() {
    return retryable;
  }
}
