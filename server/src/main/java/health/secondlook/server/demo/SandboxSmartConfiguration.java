package health.secondlook.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code .well-known/smart-configuration} of the sandbox EHR and of the sandbox recipient (the
 * specialist's EHR): where their shared authorisation server is and what it supports, as SMART App
 * Launch 2.2 asks. Mounted as an exact-path servlet, which takes precedence over the FHIR servlet
 * at the same base.
 */
final class SandboxSmartConfiguration extends HttpServlet {

  static final String PATH = "/.well-known/smart-configuration";

  private final transient ObjectMapper json = new ObjectMapper();

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String host = ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
    String issuer = host + SandboxIssuerConfiguration.ISSUER_PATH;
    Map<String, Object> configuration = new LinkedHashMap<>();
    configuration.put("issuer", issuer);
    configuration.put("jwks_uri", issuer + "/oauth2/jwks");
    configuration.put("authorization_endpoint", issuer + "/oauth2/authorize");
    configuration.put("token_endpoint", issuer + "/oauth2/token");
    configuration.put("userinfo_endpoint", issuer + "/userinfo");
    configuration.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
    configuration.put(
        "token_endpoint_auth_methods_supported", List.of("client_secret_basic", "private_key_jwt"));
    configuration.put(
        "token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    configuration.put(
        "scopes_supported",
        Stream.concat(SandboxClients.SMART_SCOPES.stream(), SandboxClients.BACKEND_SCOPES.stream())
            .toList());
    configuration.put("response_types_supported", List.of("code"));
    configuration.put("code_challenge_methods_supported", List.of("S256"));
    configuration.put(
        "capabilities",
        List.of(
            "launch-ehr",
            "launch-standalone",
            "client-confidential-symmetric",
            "client-confidential-asymmetric",
            "context-ehr-patient",
            "context-standalone-patient",
            "sso-openid-connect",
            "permission-patient",
            "permission-user",
            "permission-v2"));
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    json.writeValue(response.getOutputStream(), configuration);
  }
}
