package health.secondlook.server.fhir;

import health.secondlook.server.support.PostgresServerTest;

/** The FHIR endpoint contract on PostgreSQL (the {@code postgres} profile). */
@PostgresServerTest
class PostgresFhirServerTest extends FhirServerContract {}
