package health.secondlook.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.secondlook.server.fhir.FhirServerProperties;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Bounds what one search may make the database do, before it runs: how many parameters and how long
 * their values, how deep a chain ({@code subject.organization.partof…}) or a reverse chain ({@code
 * _has}) goes, how many {@code _include}/{@code _revinclude} it asks for (never {@code *}), and a
 * {@code _count} no larger than the largest page. Over a bound is a 400 naming the setting.
 */
@Component
@Interceptor
class SearchCostLimits {

  private static final Set<RestOperationTypeEnum> SEARCHES =
      Set.of(
          RestOperationTypeEnum.SEARCH_TYPE,
          RestOperationTypeEnum.SEARCH_SYSTEM,
          RestOperationTypeEnum.HISTORY_TYPE,
          RestOperationTypeEnum.HISTORY_INSTANCE,
          RestOperationTypeEnum.HISTORY_SYSTEM);

  private final RequestLimits limits;
  private final int maxPageSize;

  SearchCostLimits(
      RequestLimits limits, FhirServerProperties fhir, RestfulServer fhirRestfulServer) {
    this.limits = limits;
    this.maxPageSize = fhir.maxPageSize();
    fhirRestfulServer.registerInterceptor(this);
  }

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  void check(RequestDetails request, RestOperationTypeEnum operation) {
    if (!SEARCHES.contains(operation)) {
      return;
    }
    int values = 0;
    int includes = 0;
    for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
      String name = parameter.getKey();
      values += parameter.getValue().length;
      if (name.equals("_filter")) {
        // Off in SecondLook's storage settings; HAPI fails on some values instead of saying so.
        throw refused("_filter is not supported: use search parameters");
      }
      int depth = chainDepth(name);
      if (depth > limits.maxChainDepth()) {
        throw refused(
            "'"
                + name
                + "' chains "
                + depth
                + " searches, over secondlook.security.limits.max-chain-depth ("
                + limits.maxChainDepth()
                + ")");
      }
      for (String value : parameter.getValue()) {
        if (value.length() > limits.maxParameterLength()) {
          throw refused(
              "The value of '"
                  + name
                  + "' is over secondlook.security.limits.max-parameter-length ("
                  + limits.maxParameterLength()
                  + " characters)");
        }
        if (name.startsWith("_include") || name.startsWith("_revinclude")) {
          includes += value.split(",").length;
          if (value.equals("*") || value.endsWith(":*")) {
            throw refused(
                name + "=" + value + " would include everything: name the search parameter");
          }
        }
        if (name.equals("_count")) {
          checkCount(value);
        }
      }
    }
    if (values > limits.maxSearchParameters()) {
      throw refused(
          "The search has "
              + values
              + " parameter values, over secondlook.security.limits.max-search-parameters ("
              + limits.maxSearchParameters()
              + ")");
    }
    if (includes > limits.maxIncludes()) {
      throw refused(
          "The search asks for "
              + includes
              + " _include/_revinclude, over secondlook.security.limits.max-includes ("
              + limits.maxIncludes()
              + ")");
    }
  }

  private void checkCount(String value) {
    int count;
    try {
      count = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw refused("_count must be a whole number, not '" + value + "'");
    }
    if (count < 0 || count > maxPageSize) {
      throw refused(
          "_count="
              + count
              + " is over secondlook.fhir.max-page-size ("
              + maxPageSize
              + "): page through the results instead");
    }
  }

  /** {@code a.b.c} is 3 searches; each {@code _has:} is one more. */
  static int chainDepth(String name) {
    int has = 0;
    for (int i = name.indexOf("_has:"); i >= 0; i = name.indexOf("_has:", i + 5)) {
      has++;
    }
    int dots = (int) name.chars().filter(c -> c == '.').count();
    return has > 0 ? has + dots : dots + 1;
  }

  private static InvalidRequestException refused(String message) {
    return new InvalidRequestException(message);
  }
}
