package health.secondlook.server.fhir;

/**
 * Marks a Spring bean that carries SecondLook's own FHIR operations (HAPI {@code @Operation}
 * methods) so the FHIR endpoint registers it.
 */
public interface FhirOperationProvider {}
