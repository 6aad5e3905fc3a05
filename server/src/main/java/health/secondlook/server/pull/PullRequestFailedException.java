package health.secondlook.server.pull;

import health.secondlook.server.ehr.EhrFailures;

/** A request of a pull that still failed after every retry, described for a person to act on. */
class PullRequestFailedException extends RuntimeException {

  PullRequestFailedException(EhrRequest request, Throwable cause) {
    super(request + " failed: " + EhrFailures.describe(cause), cause);
  }
}
