package health.secondlook.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import health.secondlook.server.fhir.Outcomes;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

/**
 * Nobody changes the audit trail: an AuditEvent, once stored, is neither updated nor deleted, by a
 * client or by SecondLook itself (405, with an OperationOutcome).
 */
@Component
@Interceptor
class AuditImmutability {

  AuditImmutability(IInterceptorService jpaInterceptorService) {
    jpaInterceptorService.registerInterceptor(this);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  void refuseUpdate(IBaseResource previous) {
    refuse(previous, "changed");
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
  void refuseDelete(IBaseResource deleted) {
    refuse(deleted, "deleted");
  }

  private static void refuse(IBaseResource stored, String change) {
    if (stored instanceof AuditEvent event) {
      String message =
          "AuditEvent/%s is part of the audit trail and cannot be %s"
              .formatted(event.getIdElement().getIdPart(), change);
      throw new MethodNotAllowedException(
          message,
          Outcomes.error(OperationOutcome.IssueType.BUSINESSRULE, message),
          RequestTypeEnum.GET);
    }
  }
}
