package health.secondlook.server.fhir;

import java.util.List;

/**
 * The inputs of one SecondLook operation that reads its whole Parameters body itself, named as HAPI
 * names the operation: its resource type and {@code $name}.
 */
public record DocumentedOperation(String resourceType, String name, List<OperationInput> inputs) {

  public DocumentedOperation {
    inputs = List.copyOf(inputs);
  }

  /** The input of that name; every caller asks for one the operation has. */
  public OperationInput input(String inputName) {
    return inputs.stream()
        .filter(i -> i.name().equals(inputName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name + " has no input " + inputName));
  }
}
