package health.secondlook.server.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a screen for protocol tests: keeps cookies, follows redirects one by one while
 * recording each address (so a test can read the authorisation request SecondLook sent), and fills
 * in the CSRF token of forms it posts.
 */
final class BrowserlessSession {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new LocalhostCookies())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final String root;
  final List<String> visited = new ArrayList<>();

  BrowserlessSession(int port) {
    this.root = "http://localhost:" + port;
  }

  /** GET, following redirects up to the first page that is not one. */
  HttpResponse<String> open(String pathOrUrl) {
    return follow(send(HttpRequest.newBuilder(uri(pathOrUrl)).GET()));
  }

  /** GET without following a redirect. */
  HttpResponse<String> step(String pathOrUrl) {
    return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
  }

  /** POST a form with the CSRF token found on {@code page}, following redirects. */
  HttpResponse<String> post(String path, String page, Map<String, String> fields) {
    return follow(postStep(path, page, fields));
  }

  /** Signs in to the sandbox EHR's own login page. */
  HttpResponse<String> signInToSandbox(String username, String password) {
    HttpResponse<String> login = open("/sandbox-ehr/login");
    return post(
        "/sandbox-ehr/login", login.body(), Map.of("username", username, "password", password));
  }

  HttpResponse<String> follow(HttpResponse<String> response) {
    for (int hops = 0; hops < 20 && isRedirect(response); hops++) {
      String next = response.headers().firstValue("Location").orElseThrow();
      response = send(HttpRequest.newBuilder(response.uri().resolve(next)).GET());
    }
    return response;
  }

  /**
   * Follows redirects from {@code response} until the next one would go to a path starting with
   * {@code prefix}, and returns that address without visiting it.
   */
  String followUntil(HttpResponse<String> response, String prefix) {
    for (int hops = 0; hops < 20 && isRedirect(response); hops++) {
      URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
      if (next.getPath().startsWith(prefix)) {
        return next.toString();
      }
      response = send(HttpRequest.newBuilder(next).GET());
    }
    throw new AssertionError("no redirect to " + prefix + "; ended at " + response.uri());
  }

  /** POST a form with the CSRF token found on {@code page}, without following the redirect. */
  HttpResponse<String> postStep(String path, String page, Map<String, String> fields) {
    Map<String, String> all = new java.util.LinkedHashMap<>(fields);
    Matcher csrf = CSRF.matcher(page);
    if (csrf.find()) {
      all.put("_csrf", csrf.group(1));
    }
    String body =
        all.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** The first address visited that starts with {@code prefix}. */
  String visitedStartingWith(String prefix) {
    return visited.stream()
        .filter(u -> u.startsWith(root + prefix) || u.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("never visited " + prefix + ": " + visited));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    HttpRequest built = request.header("Accept", "text/html").build();
    visited.add(built.uri().toString());
    try {
      return http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : root + pathOrUrl);
  }

  /**
   * A cookie jar for one test host. Java's own sends {@code Secure} cookies over https only;
   * browsers also send them to http://localhost, which the demo relies on.
   */
  private static final class LocalhostCookies extends CookieHandler {

    private final Map<String, String> cookies = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
      if (cookies.isEmpty()) {
        return Map.of();
      }
      String header =
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; "));
      return Map.of("Cookie", List.of(header));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        if (header.getKey() != null && header.getKey().equalsIgnoreCase("Set-Cookie")) {
          for (String cookie : header.getValue()) {
            String pair = cookie.split(";", 2)[0];
            int equals = pair.indexOf('=');
            String name = pair.substring(0, equals).strip();
            String value = pair.substring(equals + 1).strip();
            if (value.isEmpty()
                || cookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
              cookies.remove(name);
            } else {
              cookies.put(name, value);
            }
          }
        }
      }
    }
  }

  private static boolean isRedirect(HttpResponse<String> response) {
    return response.statusCode() / 100 == 3
        && response.headers().firstValue("Location").isPresent();
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
