package health.secondlook.server.pull;

/**
 * One HTTP interaction with a referring EHR during a pull: a search (followed through all its
 * pages) or a read of one referenced resource.
 *
 * @param ehr the configured EHR name
 * @param kind search or read
 * @param url relative to the EHR's base ({@code Condition?patient=1&_count=100}, {@code
 *     Practitioner/7}), or the absolute next-page link the EHR returned
 */
record EhrRequest(String ehr, Kind kind, String url) {

  enum Kind {
    SEARCH,
    READ
  }

  static EhrRequest search(String ehr, String url) {
    return new EhrRequest(ehr, Kind.SEARCH, url);
  }

  static EhrRequest read(String ehr, String url) {
    return new EhrRequest(ehr, Kind.READ, url);
  }

  @Override
  public String toString() {
    return (kind == Kind.SEARCH ? "search " : "read ") + url + " at EHR '" + ehr + "'";
  }
}
