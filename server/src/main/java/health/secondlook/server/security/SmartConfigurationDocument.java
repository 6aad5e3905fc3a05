package health.secondlook.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.stereotype.Component;

/**
 * Publishes SecondLook's own {@code /fhir/.well-known/smart-configuration} (SMART App Launch 2.2):
 * where a client gets a token for SecondLook's API, that Backend Services clients authenticate with
 * {@code private_key_jwt}, and that SecondLook enforces SMART v2 scopes. It is served before the
 * FHIR server looks at the request, because it is not a FHIR resource.
 */
@Component
@Interceptor
class SmartConfigurationDocument {

  static final String PATH = "/fhir/.well-known/smart-configuration";

  private final AccessProperties.SmartEndpoints endpoints;
  private final ObjectMapper json = new ObjectMapper();

  SmartConfigurationDocument(AccessProperties properties, RestfulServer fhirRestfulServer) {
    this.endpoints = properties.smart();
    fhirRestfulServer.registerInterceptor(this);
  }

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
  boolean serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!request.getRequestURI().endsWith("/.well-known/smart-configuration")) {
      return true;
    }
    if (endpoints.tokenEndpoint() == null) {
      FhirAccessProblems.write(
          response,
          HttpServletResponse.SC_NOT_FOUND,
          IssueType.NOTFOUND,
          "No SMART configuration is published: secondlook.security.smart.token-endpoint is not"
              + " set");
      return false;
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("token_endpoint", endpoints.tokenEndpoint().toString());
    if (endpoints.authorizationEndpoint() != null) {
      document.put("authorization_endpoint", endpoints.authorizationEndpoint().toString());
    }
    document.put("grant_types_supported", List.of("client_credentials", "authorization_code"));
    document.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
    document.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    document.put("code_challenge_methods_supported", List.of("S256"));
    document.put(
        "scopes_supported",
        List.of(
            "system/*.cruds", "user/*.cruds", "patient/*.rs", "system/AuditEvent.rs", "fhirUser"));
    document.put(
        "capabilities",
        List.of(
            "permission-v2",
            "permission-patient",
            "permission-user",
            "client-confidential-asymmetric",
            "launch-ehr"));
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("application/json");
    response
        .getOutputStream()
        .write(json.writeValueAsString(document).getBytes(StandardCharsets.UTF_8));
    return false;
  }
}
