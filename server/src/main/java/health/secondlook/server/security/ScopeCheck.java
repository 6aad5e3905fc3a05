package health.secondlook.server.security;

import static health.secondlook.server.security.CallerRole.RECIPIENT;
import static health.secondlook.server.security.CallerRole.REFERRER;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The SMART scope a request needs: {@code r} to read, {@code s} to search, {@code c}, {@code u},
 * {@code d} to create, update, delete, and for each operation the letter its work needs. A scope's
 * query restriction is added to the search it allows.
 */
final class ScopeCheck {

  private static final Set<String> TERMINOLOGY_OPERATIONS =
      Set.of("$lookup", "$translate", "$expand", "$validate-code", "$subsumes");

  /** What a party may call besides plain reads; everything else is for operators. */
  record OperationRule(char permission, Set<CallerRole> roles, boolean onInstanceOnly) {}

  private static final Map<String, OperationRule> OPERATIONS =
      Map.of(
          "$request-second-opinion", new OperationRule('c', EnumSet.of(REFERRER), false),
          "$proceed", new OperationRule('u', EnumSet.of(REFERRER), true),
          "$rerun-pull", new OperationRule('u', EnumSet.of(REFERRER), true),
          "$submit-review", new OperationRule('u', EnumSet.of(RECIPIENT), true),
          "$request-information", new OperationRule('u', EnumSet.of(RECIPIENT), true),
          "$verify-signature", new OperationRule('r', EnumSet.of(REFERRER, RECIPIENT), false),
          "$everything", new OperationRule('r', EnumSet.of(REFERRER), true));

  static void check(
      Caller caller, RequestDetails request, RestOperationTypeEnum operation, String type) {
    String scopeType = type == null ? "*" : type;
    String needed =
        switch (operation) {
          case READ, VREAD, HISTORY_INSTANCE -> "r";
          case SEARCH_TYPE, HISTORY_TYPE -> "s";
          case CREATE -> "c";
          case UPDATE, PATCH -> "u";
          case DELETE -> "d";
          case GET_PAGE -> "";
          case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_SERVER -> {
            String name = request.getOperation();
            if (TERMINOLOGY_OPERATIONS.contains(name)) {
              yield "r";
            }
            OperationRule rule = OPERATIONS.get(name);
            yield rule == null ? "cruds" : String.valueOf(rule.permission());
          }
          default -> "cruds";
        };
    for (char permission : needed.toCharArray()) {
      if (!caller.scopes().permits(scopeType, permission)) {
        throw new ForbiddenOperationException(
            "The token's scopes do not allow this request: it needs '"
                + permission
                + "' on "
                + scopeType
                + " (e.g. the SMART scope system/"
                + scopeType
                + "."
                + needed
                + ")");
      }
    }
    if (operation == RestOperationTypeEnum.SEARCH_TYPE) {
      List<String> restrictions = caller.scopes().restrictions(type, 's');
      if (restrictions.size() == 1) {
        addSearchParameters(request, restrictions.get(0));
      }
    }
  }

  /** ANDs a {@code name=value&…} query onto the search the caller asked for. */
  static void addSearchParameters(RequestDetails request, String query) {
    Map<String, String[]> parameters = new HashMap<>(request.getParameters());
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      parameters.merge(
          name,
          new String[] {value},
          (a, b) -> Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new));
    }
    request.setParameters(parameters);
  }

  private ScopeCheck() {}

  static boolean isTerminology(String operation) {
    return TERMINOLOGY_OPERATIONS.contains(operation);
  }

  /** The rule of one of SecondLook's operations a party may call; null for any other. */
  static OperationRule rule(String operation) {
    return OPERATIONS.get(operation);
  }
}
