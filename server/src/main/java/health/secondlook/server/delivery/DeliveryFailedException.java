package health.secondlook.server.delivery;

import health.secondlook.server.ehr.EhrFailures;

/** A delivery request that still failed after its retries, described for a person to act on. */
class DeliveryFailedException extends RuntimeException {

  DeliveryFailedException(RecipientRequest request, Throwable cause, int attempts) {
    super(
        request
            + " failed"
            + (attempts > 1 ? " " + attempts + " times" : "")
            + ": "
            + EhrFailures.describe(cause),
        cause);
  }
}
