package health.secondlook.server.notification;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;

/**
 * Refuses, with {@code 422} and an OperationOutcome, a Subscription SecondLook would never deliver:
 *
 * <ul>
 *   <li>criteria on a resource type referrers may not follow (anything but Task, by default): a
 *       referrer follows its referral's Task, while a Subscription on, say, {@code Observation?}
 *       would push every patient's pulled records to whatever endpoint it names;
 *   <li>a channel other than {@code rest-hook}: HAPI stores such a Subscription and leaves it
 *       {@code requested} for ever, so the referrer would wait for notifications that never come;
 *   <li>criteria with the {@code :identifier} modifier (e.g. {@code Task?requester:identifier=}),
 *       which HAPI accepts but never matches.
 * </ul>
 *
 * HAPI's own validation (criteria syntax, endpoint URL, payload) runs beside this.
 */
@Interceptor
class SubscriptionLimits {

  private final Set<String> resourceTypes;

  SubscriptionLimits(IInterceptorService interceptors, Set<String> resourceTypes) {
    this.resourceTypes = Set.copyOf(resourceTypes);
    interceptors.registerInterceptor(this);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  void created(IBaseResource resource) {
    check(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  void updated(IBaseResource previous, IBaseResource resource) {
    check(resource);
  }

  private void check(IBaseResource resource) {
    if (!(resource instanceof Subscription subscription)) {
      return;
    }
    SubscriptionChannelType channel = subscription.getChannel().getType();
    if (channel != null && channel != SubscriptionChannelType.RESTHOOK) {
      refuse(
          "Subscription.channel.type",
          "Subscription.channel.type '%s' is not supported: SecondLook delivers notifications by rest-hook only"
              .formatted(channel.toCode()));
    }
    if (!subscription.hasCriteria()) {
      // No criteria at all is HAPI's to refuse, with its own message.
      return;
    }
    String criteria = subscription.getCriteria().trim();
    int query = criteria.indexOf('?');
    String type = query < 0 ? criteria : criteria.substring(0, query);
    if (criteria.contains(":identifier=")) {
      // Accepted by HAPI, but its database never matches a reference by identifier (HAPI issue
      // 2916): the Subscription would stay silent.
      refuse(
          "Subscription.criteria",
          ("Subscription.criteria '%s': references cannot be matched by identifier (:identifier);"
                  + " follow a Task by its id (Task?_id=) or by the identifier of your request"
                  + " (Task?identifier=system|value, or Task?identifier=system| for all of them)")
              .formatted(criteria));
    }
    if (!resourceTypes.contains(type)) {
      refuse(
          "Subscription.criteria",
          "Subscription.criteria '%s': SecondLook notifies changes to %s only, not %s"
              .formatted(
                  criteria, String.join(", ", resourceTypes.stream().sorted().toList()), type));
    }
  }

  private static void refuse(String element, String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
        .setDiagnostics(message)
        .addExpression(element);
    throw new UnprocessableEntityException(message, outcome);
  }
}
