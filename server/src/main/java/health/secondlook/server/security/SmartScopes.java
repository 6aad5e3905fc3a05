package health.secondlook.server.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMART App Launch clinical scopes a token carries ({@code patient/}, {@code user/} and {@code
 * system/}; v2 {@code .cruds} with an optional {@code ?query} restriction, and v1 {@code .read},
 * {@code .write} and {@code .*}), and what they let a caller do with one resource type. Other
 * scopes ({@code openid}, {@code launch}, {@code fhirUser}…) carry no access to SecondLook's
 * records.
 */
record SmartScopes(List<Scope> scopes) {

  /** Who the scope speaks for: the patient in context, the signed-in user, or a system. */
  enum Level {
    PATIENT,
    USER,
    SYSTEM
  }

  /**
   * One clinical scope.
   *
   * @param resourceType a FHIR type, or {@code *}
   * @param permissions the v2 letters it grants, in {@code cruds} order
   * @param query the restriction after {@code ?}, if any, e.g. {@code category=laboratory}
   */
  record Scope(Level level, String resourceType, String permissions, Optional<String> query) {

    boolean grants(String type, char permission) {
      return ("*".equals(resourceType) || resourceType.equals(type))
          && permissions.indexOf(permission) >= 0;
    }
  }

  private static final Pattern CLINICAL =
      Pattern.compile(
          "(patient|user|system)/([A-Z][A-Za-z]{0,63}|\\*)\\.(read|write|\\*|c?r?u?d?s?)(?:\\?(.{1,512}))?");

  SmartScopes {
    scopes = List.copyOf(scopes);
  }

  /** The clinical scopes in a space-separated {@code scope} claim; others are ignored. */
  static SmartScopes parse(List<String> granted) {
    List<Scope> scopes = new ArrayList<>();
    for (String scope : granted) {
      Matcher m = CLINICAL.matcher(scope);
      if (!m.matches() || m.group(3).isEmpty()) {
        continue;
      }
      String permissions =
          switch (m.group(3)) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> m.group(3);
          };
      scopes.add(
          new Scope(
              Level.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
              m.group(2),
              permissions,
              Optional.ofNullable(m.group(4))));
    }
    return new SmartScopes(scopes);
  }

  /** The scopes that grant {@code permission} on {@code type}. */
  List<Scope> granting(String type, char permission) {
    return scopes.stream().filter(s -> s.grants(type, permission)).toList();
  }

  boolean permits(String type, char permission) {
    return !granting(type, permission).isEmpty();
  }

  /**
   * Whether access to {@code type} rests only on {@code patient/} scopes, so it is limited to the
   * patient in context.
   */
  boolean onlyForPatient(String type, char permission) {
    List<Scope> granting = granting(type, permission);
    return !granting.isEmpty() && granting.stream().allMatch(s -> s.level() == Level.PATIENT);
  }

  /**
   * The query restrictions that apply to {@code permission} on {@code type}: empty when some scope
   * grants it without one.
   */
  List<String> restrictions(String type, char permission) {
    List<Scope> granting = granting(type, permission);
    if (granting.stream().anyMatch(s -> s.query().isEmpty())) {
      return List.of();
    }
    return granting.stream().map(s -> s.query().orElseThrow()).toList();
  }
}
