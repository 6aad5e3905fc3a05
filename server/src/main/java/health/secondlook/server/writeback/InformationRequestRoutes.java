package health.secondlook.server.writeback;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The Camel routes that write a specialist's request for more information ({@code
 * $request-information}) to the referring EHR, beside those that write the review ({@link
 * WriteBackRoutes}), whose {@code ehr-write} route they share for retries and backoff.
 *
 * <ul>
 *   <li>{@code information-request-dispatcher} polls the store for CommunicationRequests tagged
 *       {@code write-back-queued} (the request is the durable queue, so a restart resumes every
 *       unfinished write) and hands each, once, to a bounded set of workers;
 *   <li>{@code information-request-write-back} writes one request as the EHR's mapping says; a
 *       failure left after retries tags it {@code write-back-failed} with the reason.
 * </ul>
 */
@Component
class InformationRequestRoutes extends RouteBuilder {

  static final String REQUEST_ID_HEADER = "SecondLookInformationRequestId";

  @Override
  public void configure() {
    from("timer:information-request-dispatcher?delay={{secondlook.write-back.poll-interval:500ms}}"
            + "&period={{secondlook.write-back.poll-interval:500ms}}")
        .routeId("information-request-dispatcher")
        .bean(InformationRequestQueue.class, "claimWaiting")
        .split(body())
        .to("seda:information-request-write-back");

    from("seda:information-request-write-back"
            + "?concurrentConsumers={{secondlook.write-back.concurrent-write-backs:2}}")
        .routeId("information-request-write-back")
        .onException(Exception.class)
        .handled(true)
        .bean(InformationRequestRunner.class, "failed")
        .end()
        .setHeader(REQUEST_ID_HEADER, body())
        .bean(InformationRequestRunner.class, "run");
  }
}
