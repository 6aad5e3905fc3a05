package health.secondlook.server.notification;

import ca.uhn.fhir.broker.api.IBrokerClient;
import ca.uhn.fhir.jpa.subscription.channel.subscription.SubscriptionChannelFactory;

/**
 * HAPI's subscription channels with one consumer each, so a referrer receives a Task's changes in
 * the order they were stored. HAPI's defaults (5 matching and 2 delivery consumers per channel)
 * process queued changes in parallel and can deliver {@code completed} before {@code accepted}.
 *
 * <p>Each Subscription has its own delivery channel, so a slow or failing subscriber holds up only
 * its own notifications, never another referrer's or the Task update itself.
 */
class InOrderSubscriptionChannelFactory extends SubscriptionChannelFactory {

  InOrderSubscriptionChannelFactory(IBrokerClient brokerClient) {
    super(brokerClient);
  }

  @Override
  public int getMatchingChannelConcurrentConsumers() {
    return 1;
  }

  @Override
  public int getDeliveryChannelConcurrentConsumers() {
    return 1;
  }
}
