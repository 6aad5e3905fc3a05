package health.secondlook.server.fhir;

import health.secondlook.server.support.H2ServerTest;

/** The FHIR endpoint contract on the default embedded H2 file database. */
@H2ServerTest
class H2FhirServerTest extends FhirServerContract {}
