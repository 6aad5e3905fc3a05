package health.secondlook.server.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The sandbox's standalone launch: an authorisation request for scope {@code launch/patient}
 * without a {@code launch} id goes, once the user is signed in to the sandbox, to the patient
 * picker; the picker makes a launch context for the chosen patient and resumes the request with its
 * id, as an EHR launch would have carried.
 */
final class StandalonePatientPicker extends OncePerRequestFilter {

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String scope = request.getParameter("scope");
    return !"GET".equals(request.getMethod())
        || !request
            .getRequestURI()
            .endsWith(SandboxIssuerConfiguration.ISSUER_PATH + "/oauth2/authorize")
        || request.getParameter("launch") != null
        || scope == null
        || Arrays.stream(scope.split(" ")).noneMatch("launch/patient"::equals);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication user = SecurityContextHolder.getContext().getAuthentication();
    if (user == null || !user.isAuthenticated() || user instanceof AnonymousAuthenticationToken) {
      chain.doFilter(request, response); // the authorisation endpoint sends them to sign in first
      return;
    }
    String resume = request.getRequestURI() + "?" + request.getQueryString();
    response.sendRedirect(
        UriComponentsBuilder.fromPath(SandboxChartController.PICK_PATIENT_PATH)
            .queryParam("continue", resume)
            .encode()
            .build()
            .toUriString());
  }
}
