package health.secondlook.server.security;

/** What an organisation known to SecondLook is to the referral loop. */
public enum CallerRole {
  /** A referring organisation: its EHR is one of {@code secondlook.ehrs}. */
  REFERRER,
  /** A receiving organisation: one of {@code secondlook.recipients}. */
  RECIPIENT,
  /** Reads the audit trail, and nothing else. */
  AUDITOR,
  /** Runs SecondLook: every record, every operation, within its token's scopes. */
  OPERATOR
}
