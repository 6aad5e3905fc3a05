package health.secondlook.server.support;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The organisations the security tests act as, each known to SecondLook by its client id at the
 * {@link TestIssuer}: two referrers (the sandbox and the flaky EHR's hospitals) and two recipients
 * (the tumour board and the transaction-push board).
 */
public final class TestParties {

  public static final String REFERRER_A = TestEhrs.SANDBOX;
  public static final String REFERRER_B = TestEhrs.FLAKY;
  public static final String RECIPIENT_A = "tumour-board";
  public static final String RECIPIENT_B = TestEhrs.PUSH_TRANSACTION;

  /** Where the tumour board may have Subscriptions notify it. */
  public static final String RECIPIENT_A_ENDPOINTS = "http://127.0.0.1:9/tumour-board/";

  private TestParties() {}

  static Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    for (String org : new String[] {REFERRER_A, REFERRER_B}) {
      organization(p, org, "referrer");
    }
    for (String org : new String[] {RECIPIENT_A, RECIPIENT_B}) {
      organization(p, org, "recipient");
    }
    p.put(
        "secondlook.security.organizations." + RECIPIENT_A + ".notification-endpoints",
        RECIPIENT_A_ENDPOINTS);
    return p;
  }

  private static void organization(Map<String, String> p, String org, String role) {
    String prefix = "secondlook.security.organizations." + org;
    p.put(prefix + ".role", role);
    p.put(prefix + ".issuer", "test");
    p.put(prefix + ".client-ids", client(org));
  }

  /** The client id the organisation's system calls SecondLook with. */
  public static String client(String org) {
    return org + "-system";
  }

  /** A token of the organisation's system with these scopes, valid for an hour. */
  public static String token(String org, String scope) {
    return TestIssuer.get().token(client(org), scope, Duration.ofHours(1), Map.of());
  }

  /** A FHIR client of SecondLook's API acting as the auditor. */
  public static IGenericClient auditor(String baseUrl) {
    IGenericClient client = FhirClients.R4.newRestfulGenericClient(baseUrl);
    client.registerInterceptor(
        new BearerTokenAuthInterceptor(
            TestIssuer.get()
                .token(TestIssuer.AUDITOR, "system/AuditEvent.rs", Duration.ofHours(1), Map.of())));
    return client;
  }

  /** A FHIR client of SecondLook's API acting as the organisation's system. */
  public static IGenericClient client(String baseUrl, String org, String scope) {
    IGenericClient client = FhirClients.R4.newRestfulGenericClient(baseUrl);
    client.registerInterceptor(new BearerTokenAuthInterceptor(token(org, scope)));
    return client;
  }
}
