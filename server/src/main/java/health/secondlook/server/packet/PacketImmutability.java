package health.secondlook.server.packet;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import health.secondlook.server.fhir.Outcomes;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

/**
 * Keeps stored packets exactly as they were sent: refuses to update (PUT, PATCH, transaction) or
 * delete a stored Bundle that carries a {@code signature}, or that is a SecondLook packet, with
 * {@code 405} and an OperationOutcome naming the Bundle. A changed packet is a new packet, made by
 * pulling again. Its {@code meta} (which organisations may read it, tags) may change: that is
 * neither signed nor part of what was sent. The hooks sit on the storage layer's interceptor
 * service, so they hold for SecondLook's own code as well as for the REST API (whose writes go
 * through the same storage).
 */
@Component
@Interceptor
class PacketImmutability {

  PacketImmutability(IInterceptorService jpaInterceptorService) {
    jpaInterceptorService.registerInterceptor(this);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  void refuseUpdate(IBaseResource previous, IBaseResource updated) {
    if (onlyMetaChanged(previous, updated)) {
      // Labels and tags (e.g. which organisations may read it) are not signed, nor sent as content.
      return;
    }
    refuseIfPacket(previous, "updated");
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
  void refuseDelete(IBaseResource deleted) {
    refuseIfPacket(deleted, "deleted");
  }

  private static void refuseIfPacket(IBaseResource stored, String change) {
    if (!(stored instanceof Bundle bundle) || !(bundle.hasSignature() || isPacket(bundle))) {
      return;
    }
    String message =
        "Bundle/%s is a %s second-opinion packet and cannot be %s: the recipient must receive exactly what was sent. Pull the records again (Task/{id}/$rerun-pull) to make a new packet."
            .formatted(
                bundle.getIdElement().getIdPart(),
                bundle.hasSignature() ? "signed" : "stored",
                change);
    OperationOutcome outcome = Outcomes.error(OperationOutcome.IssueType.BUSINESSRULE, message);
    throw new MethodNotAllowedException(message, outcome, RequestTypeEnum.GET);
  }

  private static boolean onlyMetaChanged(IBaseResource previous, IBaseResource updated) {
    if (!(previous instanceof Bundle before) || !(updated instanceof Bundle after)) {
      return false;
    }
    Bundle a = before.copy();
    Bundle b = after.copy();
    a.setMeta(null).setId((String) null);
    b.setMeta(null).setId((String) null);
    return a.equalsDeep(b);
  }

  private static boolean isPacket(Bundle bundle) {
    return bundle.getType() == Bundle.BundleType.DOCUMENT
        && bundle.getEntryFirstRep().getResource() instanceof Composition composition
        && PacketAssembler.PACKET_IDENTIFIER_SYSTEM.equals(composition.getIdentifier().getSystem());
  }
}
