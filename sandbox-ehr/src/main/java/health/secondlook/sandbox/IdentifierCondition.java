package health.secondlook.sandbox;

import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

/**
 * The condition of a conditional create ({@code If-None-Exist}) or conditional update ({@code PUT
 * Task?identifier=…}) as the sandbox understands it: one or more {@code identifier} tokens, all of
 * which a resource must carry (each may list alternatives separated by commas). That is what a
 * write-back sends; any other parameter is refused with 400 rather than ignored, since ignoring it
 * would match, and overwrite, the wrong resource.
 */
final class IdentifierCondition {

  private static final Set<String> FORMAT_PARAMETERS = Set.of("_format", "_pretty");

  private final List<TokenOrListParam> required;

  private IdentifierCondition(List<TokenOrListParam> required) {
    this.required = required;
  }

  /**
   * @param conditionalUrl {@code identifier=system|value}, optionally after {@code Type?}, as HAPI
   *     hands it to a {@code @ConditionalUrlParam}
   */
  static IdentifierCondition parse(String conditionalUrl) {
    String query =
        conditionalUrl.contains("?")
            ? conditionalUrl.substring(conditionalUrl.indexOf('?') + 1)
            : conditionalUrl;
    List<TokenOrListParam> required = new ArrayList<>();
    for (String parameter : query.split("&")) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      if (FORMAT_PARAMETERS.contains(name)) {
        continue; // HAPI's client adds _format to the condition; it says nothing about matching
      }
      if (!"identifier".equals(name) || equals == parameter.length() - 1) {
        throw new InvalidRequestException(
            "The sandbox EHR matches conditional requests on identifier=system|value only, not '"
                + parameter
                + "'");
      }
      TokenOrListParam alternatives = new TokenOrListParam();
      for (String token : parameter.substring(equals + 1).split(",")) {
        alternatives.add(token(URLDecoder.decode(token, StandardCharsets.UTF_8)));
      }
      required.add(alternatives);
    }
    if (required.isEmpty()) {
      throw new InvalidRequestException(
          "A conditional request to the sandbox EHR needs identifier=system|value");
    }
    return new IdentifierCondition(required);
  }

  boolean matches(Resource resource) {
    return required.stream().allMatch(tokens -> hasIdentifier(resource, tokens));
  }

  /** Whether the resource's {@code identifier} (or {@code masterIdentifier}) matches a token. */
  static boolean hasIdentifier(Resource resource, TokenOrListParam tokens) {
    return identifiers(resource)
        .anyMatch(id -> tokens.getValuesAsQueryTokens().stream().anyMatch(t -> matches(t, id)));
  }

  private static Stream<Identifier> identifiers(Resource resource) {
    return Stream.of("identifier", "masterIdentifier")
        .map(resource::getNamedProperty)
        .filter(property -> property != null)
        .flatMap(property -> property.getValues().stream())
        .filter(Identifier.class::isInstance)
        .map(Identifier.class::cast);
  }

  /** FHIR token semantics: {@code value}, {@code system|value}, {@code |value}, {@code system|}. */
  private static boolean matches(TokenParam token, Identifier identifier) {
    String system = token.getSystem();
    boolean systemMatches =
        system == null
            || (system.isEmpty() ? !identifier.hasSystem() : system.equals(identifier.getSystem()));
    String value = token.getValue();
    return systemMatches
        && (value == null || value.isEmpty() || value.equals(identifier.getValue()));
  }

  private static TokenParam token(String text) {
    int bar = text.indexOf('|');
    return bar < 0
        ? new TokenParam(null, text)
        : new TokenParam(text.substring(0, bar), text.substring(bar + 1));
  }
}
