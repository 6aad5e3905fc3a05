package health.secondlook.server.delivery;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The Camel routes that deliver packets to receiving organisations' systems.
 *
 * <ul>
 *   <li>{@code delivery-dispatcher} polls the store for packets waiting to be delivered (the Task
 *       is the durable queue, so a restart resumes every unfinished delivery) and hands each, once,
 *       to a bounded set of workers;
 *   <li>{@code deliver-packet} delivers one referral's packet as its recipient is configured (push
 *       as a transaction or a message, or notify-and-pull); a failure left after retries marks the
 *       delivery failed with the reason;
 *   <li>{@code recipient-request} performs one HTTP request to the recipient, retried with backoff.
 * </ul>
 */
@Component
class DeliveryRoutes extends RouteBuilder {

  static final String REQUEST = "direct:recipient-request";
  static final String TASK_ID_HEADER = "SecondLookTaskId";

  @Override
  public void configure() {
    from("timer:delivery-dispatcher?delay={{secondlook.delivery.poll-interval:500ms}}&period={{secondlook.delivery.poll-interval:500ms}}")
        .routeId("delivery-dispatcher")
        .bean(DeliveryQueue.class, "claimWaiting")
        .split(body())
        .to("seda:deliver-packet");

    from("seda:deliver-packet?concurrentConsumers={{secondlook.delivery.concurrent-deliveries:2}}")
        .routeId("deliver-packet")
        .onException(Exception.class)
        .handled(true)
        .bean(DeliveryRunner.class, "failed")
        .end()
        .setHeader(TASK_ID_HEADER, body())
        .bean(DeliveryRunner.class, "run");

    from(REQUEST)
        .routeId("recipient-request")
        .onException(Exception.class)
        .retryWhile(method(RecipientRequestExecutor.class, "shouldRetry"))
        .redeliveryDelay(0)
        .handled(false)
        .end()
        .bean(RecipientRequestExecutor.class, "execute");
  }
}
