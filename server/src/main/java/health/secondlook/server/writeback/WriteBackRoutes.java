package health.secondlook.server.writeback;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The Camel routes that write a specialist's review back into the referring EHR.
 *
 * <ul>
 *   <li>{@code write-back-dispatcher} polls the store for referrals whose review waits to be
 *       written back ({@code write-back-queued}; the Task is the durable queue, so a restart
 *       resumes every unfinished write-back) and hands each, once, to a bounded set of workers;
 *   <li>{@code write-back} writes one review: the consult-note DocumentReference, the summary and
 *       the Task, as the EHR's mapping says; a failure left after retries marks the referral {@code
 *       write-back-failed} with the reason;
 *   <li>{@code ehr-write} performs one conditional write (or transaction), retried with backoff.
 * </ul>
 */
@Component
class WriteBackRoutes extends RouteBuilder {

  static final String WRITE = "direct:ehr-write";
  static final String TASK_ID_HEADER = "SecondLookTaskId";

  @Override
  public void configure() {
    from("timer:write-back-dispatcher?delay={{secondlook.write-back.poll-interval:500ms}}"
            + "&period={{secondlook.write-back.poll-interval:500ms}}")
        .routeId("write-back-dispatcher")
        .bean(WriteBackQueue.class, "claimWaiting")
        .split(body())
        .to("seda:write-back");

    from("seda:write-back?concurrentConsumers={{secondlook.write-back.concurrent-write-backs:2}}")
        .routeId("write-back")
        .onException(Exception.class)
        .handled(true)
        .bean(WriteBackRunner.class, "failed")
        .end()
        .setHeader(TASK_ID_HEADER, body())
        .bean(WriteBackRunner.class, "run");

    from(WRITE)
        .routeId("ehr-write")
        .onException(Exception.class)
        .retryWhile(method(EhrWriteExecutor.class, "shouldRetry"))
        .redeliveryDelay(0)
        .handled(false)
        .end()
        .bean(EhrWriteExecutor.class, "execute");
  }
}
