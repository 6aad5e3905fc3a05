package health.secondlook.server.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationDefinition.OperationDefinitionParameterComponent;
import org.hl7.fhir.r4.model.OperationDefinition.OperationParameterUse;

/**
 * SecondLook's CapabilityStatement and OperationDefinitions: HAPI's JPA provider, whose
 * OperationDefinitions also list the inputs of the operations that read their Parameters body
 * themselves ({@link DocumentedOperation}), and say in their description which inputs are required.
 * HAPI's OpenAPI description is made from these OperationDefinitions, so {@code
 * /fhir/OperationDefinition/{id}}, {@code /fhir/api-docs} and the Swagger page all show what to
 * send.
 */
class DocumentingCapabilityStatementProvider extends JpaCapabilityStatementProvider {

  private final List<DocumentedOperation> documented;

  DocumentingCapabilityStatementProvider(
      RestfulServer server,
      IFhirSystemDao<?, ?> systemDao,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      List<DocumentedOperation> documented) {
    super(server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    this.documented = List.copyOf(documented);
  }

  @Override
  public IBaseResource readOperationDefinition(IIdType id, RequestDetails request) {
    // HAPI builds a new OperationDefinition on every read, so adding to it here adds once.
    IBaseResource read = super.readOperationDefinition(id, request);
    if (read instanceof OperationDefinition definition) {
      documented.stream()
          .filter(operation -> describes(operation, definition))
          .findFirst()
          .ifPresent(operation -> addInputs(definition, operation));
    }
    return read;
  }

  private static boolean describes(DocumentedOperation operation, OperationDefinition definition) {
    return operation.name().equals("$" + definition.getCode())
        && definition.getResource().stream()
            .anyMatch(r -> operation.resourceType().equals(r.getValue()));
  }

  private static void addInputs(OperationDefinition definition, DocumentedOperation operation) {
    List<OperationDefinitionParameterComponent> declared =
        new ArrayList<>(definition.getParameter());
    definition.getParameter().clear();
    operation.inputs().forEach(input -> definition.addParameter(parameter(input)));
    declared.forEach(definition::addParameter);
    String inputs =
        operation.inputs().stream().map(i -> "- " + line(i)).collect(Collectors.joining("\n"));
    definition.setDescription(
        (definition.hasDescription() ? definition.getDescription() + "\n\n" : "")
            + "Parameters (in the request's Parameters body):\n\n"
            + inputs);
  }

  private static OperationDefinitionParameterComponent parameter(OperationInput input) {
    OperationDefinitionParameterComponent parameter =
        new OperationDefinitionParameterComponent()
            .setName(input.name())
            .setUse(OperationParameterUse.IN)
            .setMin(input.min())
            .setMax(input.max())
            .setDocumentation(input.documentation());
    if (input.type() != null) {
      parameter.setType(input.type());
    }
    input.parts().forEach(part -> parameter.addPart(parameter(part)));
    return parameter;
  }

  /** The input as a Markdown list item: name, type, whether required, what it is. */
  private static String line(OperationInput input) {
    String type =
        input.type() != null
            ? input.type()
            : "parts "
                + input.parts().stream()
                    .map(p -> "`" + p.name() + "`")
                    .collect(Collectors.joining(" + "));
    return "`%s` (%s, %s%s): %s"
        .formatted(
            input.name(),
            type,
            input.isRequired() ? "required" : "optional",
            input.isRepeating() ? ", repeating" : "",
            input.documentation());
  }
}
