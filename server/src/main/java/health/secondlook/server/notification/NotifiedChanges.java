package health.secondlook.server.notification;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import java.util.HashSet;
import java.util.Set;

/**
 * Lets only changes a Subscription may follow (Tasks, by default) into HAPI's subscription queue,
 * and changes to Subscriptions themselves, which HAPI activates through the same queue. Without it
 * HAPI queues every write: each of the hundreds of records a pull stores would add a row to its
 * transaction and a round of matching, only to match nothing.
 */
@Interceptor
class NotifiedChanges {

  private final FhirContext fhirContext;
  private final Set<String> resourceTypes;

  NotifiedChanges(IInterceptorService interceptors, FhirContext fhirContext, Set<String> types) {
    this.fhirContext = fhirContext;
    Set<String> queued = new HashSet<>(types);
    queued.add("Subscription");
    this.resourceTypes = Set.copyOf(queued);
    interceptors.registerInterceptor(this);
  }

  /** Returning false keeps the change out of the queue. */
  @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
  boolean queue(ResourceModifiedMessage change) {
    return resourceTypes.contains(change.getResourceType(fhirContext));
  }
}
