package health.secondlook.server.fhir;

import java.util.List;

/**
 * One input parameter of a SecondLook operation that reads its whole Parameters body itself
 * ({@code @ResourceParam}), as the operation's OperationDefinition, and with it the OpenAPI
 * description, lists it. HAPI describes only {@code @OperationParam} inputs on its own.
 *
 * @param name the parameter's name in the Parameters body
 * @param type its FHIR type ({@code string}, {@code Identifier}, {@code QuestionnaireResponse},
 *     ...); {@code null} for a parameter made of parts
 * @param min {@code 1} when the operation refuses a request without it, else {@code 0}
 * @param max {@code "1"}, or {@code "*"} for a repeating parameter
 * @param documentation what to give, for the integrator reading the API description
 * @param parts the parts of a parameter made of parts; empty otherwise
 */
public record OperationInput(
    String name,
    String type,
    int min,
    String max,
    String documentation,
    List<OperationInput> parts) {

  public OperationInput {
    parts = List.copyOf(parts);
  }

  public static OperationInput required(String name, String type, String documentation) {
    return new OperationInput(name, type, 1, "1", documentation, List.of());
  }

  public static OperationInput optional(String name, String type, String documentation) {
    return new OperationInput(name, type, 0, "1", documentation, List.of());
  }

  /** The same parameter, allowed any number of times. */
  public OperationInput repeating() {
    return new OperationInput(name, type, min, "*", documentation, parts);
  }

  /** The same parameter, made of these parts instead of one value. */
  public OperationInput withParts(OperationInput... parts) {
    return new OperationInput(name, null, min, max, documentation, List.of(parts));
  }

  public boolean isRequired() {
    return min > 0;
  }

  public boolean isRepeating() {
    return "*".equals(max);
  }
}
