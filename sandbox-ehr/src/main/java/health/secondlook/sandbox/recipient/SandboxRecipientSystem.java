package health.secondlook.sandbox.recipient;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * A stand-in for the specialist's FHIR server, the system SecondLook delivers second-opinion
 * packets to: a plain HAPI FHIR R4 server holding Bundle, Task, ServiceRequest, Patient and
 * MessageHeader in memory. It accepts what a push or a notification sends: transaction Bundles with
 * conditional creates ({@code ifNoneExist} on an identifier) and conditional updates ({@code PUT
 * Task?identifier=…}), and {@code $process-message}; and it lets anyone read and search by
 * identifier what arrived. In demo mode SecondLook mounts it at {@code /sandbox-recipient/fhir};
 * tests run it on its own port. Not a product: no authentication, no history, nothing kept on disk.
 */
public class SandboxRecipientSystem extends RestfulServer {

  public static final String NAME = "SecondLook sandbox recipient";

  public SandboxRecipientSystem() {
    super(FhirContext.forR4Cached());
    RecipientStore store = new RecipientStore(getFhirContext());
    RecipientWrites writes = new RecipientWrites(store, getFhirContext());
    List<Object> providers = new ArrayList<>();
    Stream.of(Bundle.class, Task.class, ServiceRequest.class, Patient.class, MessageHeader.class)
        .forEach(type -> providers.add(new RecipientResourceProvider<>(type, store, writes)));
    providers.add(new RecipientSystemInteractions(store, writes));
    registerProviders(providers);
    setServerName(NAME);
    setImplementationDescription(
        NAME + ": receives second-opinion packets for SecondLook demos and tests");
    setDefaultResponseEncoding(EncodingEnum.JSON);
    getInterceptorService()
        .registerAnonymousInterceptor(
            Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED,
            (pointcut, params) ->
                ((CapabilityStatement) params.get(IBaseConformance.class))
                    .setName("SecondLookSandboxRecipient")
                    .setTitle(NAME));
  }
}
