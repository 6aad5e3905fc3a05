package health.secondlook.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * Names SecondLook in the CapabilityStatement an EHR or specialist system reads from {@code
 * /fhir/metadata} when it first connects.
 */
@Interceptor
class CapabilityStatementCustomizer {

  private final String version;

  CapabilityStatementCustomizer(String version) {
    this.version = version;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  void nameSecondLook(IBaseConformance generated) {
    CapabilityStatement statement = (CapabilityStatement) generated;
    statement.setName("SecondLook");
    statement.setTitle("SecondLook cancer second-opinion server");
    statement.setPublisher("SecondLook");
    statement.setVersion(version);
    statement.getSoftware().setName("SecondLook").setVersion(version);
  }
}
