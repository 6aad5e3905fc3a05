package health.secondlook.server.support;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Addresses on the test's server from readable paths: each query value is URL-encoded as sent. */
public final class LocalUris {

  private LocalUris() {}

  /** {@code /fhir/Task?_include=Task:subject} on {@code localhost:port}, its values encoded. */
  public static URI of(int port, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    if (q < 0) {
      return URI.create("http://localhost:" + port + pathAndQuery);
    }
    StringBuilder query = new StringBuilder();
    for (String pair : pathAndQuery.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      query.append(query.isEmpty() ? "" : "&");
      query.append(
          eq < 0
              ? pair
              : pair.substring(0, eq + 1)
                  + URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return URI.create("http://localhost:" + port + pathAndQuery.substring(0, q) + "?" + query);
  }
}
