package health.secondlook.server.writeback;

import health.secondlook.server.ehr.EhrFailures;

/** A write to the referring EHR that still failed after every retry, described for a person. */
class WriteRequestFailedException extends RuntimeException {

  WriteRequestFailedException(EhrWrite write, Throwable cause) {
    super(write + " failed: " + EhrFailures.describe(cause), cause);
  }
}
