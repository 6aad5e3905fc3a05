package health.secondlook.server.ehr;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpClient;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.impl.BaseHttpClientInvocation;
import ca.uhn.fhir.rest.client.impl.GenericClient;
import ca.uhn.fhir.rest.client.impl.RestfulClientFactory;
import ca.uhn.fhir.rest.client.method.IClientResponseHandler;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HAPI's generic client for one EHR, with what a pull needs that HAPI's client leaves out: every
 * request carries the EHR's current access token, and a failed request's exception says which EHR
 * failed and keeps the response headers ({@code Retry-After}) for {@link EhrFailures}. A 401
 * becomes an {@link EhrAuthenticationException} that knows whether a new token may help.
 *
 * <p>All of HAPI's request paths (search, read, paging, operations) pass through {@link
 * #invokeClient}, which this class wraps. HAPI builds its exception after the response hooks ran,
 * without the headers; the hook below keeps them for the same thread's {@code invokeClient}.
 */
final class EhrGenericClient extends GenericClient {

  private static final ThreadLocal<ErrorResponse> ERROR_RESPONSE = new ThreadLocal<>();

  private final String baseUrl;
  private final AccessTokens tokens;

  private EhrGenericClient(
      FhirContext context,
      IHttpClient http,
      String baseUrl,
      RestfulClientFactory factory,
      AccessTokens tokens) {
    super(context, http, baseUrl, factory);
    this.baseUrl = baseUrl;
    this.tokens = tokens;
    setEncoding(EncodingEnum.JSON);
    getInterceptorService()
        .registerAnonymousInterceptor(
            Pointcut.CLIENT_RESPONSE,
            (pointcut, params) -> {
              IHttpResponse response = params.get(IHttpResponse.class);
              if (response.getStatus() < 200 || response.getStatus() > 299) {
                ERROR_RESPONSE.set(
                    new ErrorResponse(response.getStatusInfo(), response.getAllHeaders()));
              }
            });
  }

  @Override
  protected <T> T invokeClient(
      FhirContext context,
      IClientResponseHandler<T> binding,
      BaseHttpClientInvocation invocation,
      EncodingEnum encoding,
      Boolean prettyPrint,
      boolean logRequestAndResponse,
      SummaryEnum summaryMode,
      Set<String> subsetElements,
      CacheControlDirective cacheControl,
      String customAcceptHeader,
      Map<String, List<String>> customHeaders) {
    String token = tokens.current();
    Map<String, List<String>> headers =
        customHeaders == null ? new HashMap<>() : new HashMap<>(customHeaders);
    if (token != null) {
      headers.put(Constants.HEADER_AUTHORIZATION, List.of("Bearer " + token));
    }
    ERROR_RESPONSE.remove();
    try {
      T result =
          super.invokeClient(
              context,
              binding,
              invocation,
              encoding,
              prettyPrint,
              logRequestAndResponse,
              summaryMode,
              subsetElements,
              cacheControl,
              customAcceptHeader,
              headers);
      accepted(token);
      return result;
    } catch (FhirClientConnectionException e) {
      throw new EhrConnectionException(EhrFailures.connectionProblem(e, baseUrl), e);
    } catch (BaseServerResponseException e) {
      ErrorResponse response = ERROR_RESPONSE.get();
      throw response == null ? e : withResponse(e, response, token);
    } finally {
      ERROR_RESPONSE.remove();
    }
  }

  /** The same exception type, naming the EHR, with the response headers. */
  private BaseServerResponseException withResponse(
      BaseServerResponseException e, ErrorResponse response, String token) {
    String head = "HTTP " + e.getStatusCode() + " " + response.statusInfo();
    String message = e.getMessage() == null ? "" : e.getMessage();
    String detail = message.startsWith(head) ? message.substring(head.length()) : ": " + message;
    String named = head + " from " + baseUrl + detail;
    BaseServerResponseException enriched;
    if (e.getStatusCode() == Constants.STATUS_HTTP_401_CLIENT_UNAUTHORIZED) {
      enriched = new EhrAuthenticationException(named, token != null && tokens.rejected(token));
    } else {
      accepted(token);
      enriched = BaseServerResponseException.newInstance(e.getStatusCode(), named);
    }
    enriched.setOperationOutcome(e.getOperationOutcome());
    enriched.setResponseBody(e.getResponseBody());
    response
        .headers()
        .forEach(
            (name, values) -> values.forEach(value -> enriched.addResponseHeader(name, value)));
    enriched.initCause(e);
    return enriched;
  }

  private void accepted(String token) {
    if (token != null) {
      tokens.accepted(token);
    }
  }

  private record ErrorResponse(String statusInfo, Map<String, List<String>> headers) {}

  /**
   * HAPI builds each request's HTTP client from the FhirContext's factory, so timeouts and
   * validation mode live here, one factory (and FhirContext) per EHR.
   */
  static final class Factory extends ApacheRestfulClientFactory {
    private final AccessTokens tokens;

    Factory(FhirContext context, AccessTokens tokens) {
      super(context);
      this.tokens = tokens;
    }

    @Override
    public synchronized IGenericClient newGenericClient(String baseUrl) {
      return new EhrGenericClient(getFhirContext(), getHttpClient(baseUrl), baseUrl, this, tokens);
    }
  }
}
