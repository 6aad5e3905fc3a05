package health.secondlook.server.fhir;

import java.util.List;

/**
 * Marks a Spring bean that carries SecondLook's own FHIR operations (HAPI {@code @Operation}
 * methods) so the FHIR endpoint registers it.
 */
public interface FhirOperationProvider {

  /**
   * The inputs of this bean's operations that take their whole Parameters body
   * ({@code @ResourceParam}); HAPI cannot see them, so the endpoint adds them to the operations'
   * OperationDefinitions and to the OpenAPI description.
   */
  default List<DocumentedOperation> documentedOperations() {
    return List.of();
  }
}
