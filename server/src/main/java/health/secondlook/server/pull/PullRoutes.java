package health.secondlook.server.pull;

import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The Camel routes that pull a referral's records from the referring EHR.
 *
 * <ul>
 *   <li>{@code pull-dispatcher} polls the store for referrals waiting to be pulled (the Task is the
 *       durable queue, so a restart resumes every unfinished pull) and hands each, once, to a
 *       bounded set of workers;
 *   <li>{@code pull-referral} runs one referral's pull: searches, then the references they need,
 *       then storage and the completeness report; any failure left after retries marks the referral
 *       failed with the reason;
 *   <li>{@code ehr-fetch-all} runs a batch of requests in parallel;
 *   <li>{@code ehr-fetch-pages} follows one search through all its pages;
 *   <li>{@code ehr-request} performs one HTTP request, retried with backoff.
 * </ul>
 */
@Component
class PullRoutes extends RouteBuilder {

  static final String FETCH_ALL = "direct:ehr-fetch-all";
  static final String FETCH_PAGES = "direct:ehr-fetch-pages";
  static final String REQUEST = "direct:ehr-request";
  static final String TASK_ID_HEADER = "SecondLookTaskId";

  @Override
  public void configure() {
    from("timer:pull-dispatcher?delay={{secondlook.pull.poll-interval}}&period={{secondlook.pull.poll-interval}}")
        .routeId("pull-dispatcher")
        .bean(PullQueue.class, "claimWaiting")
        .split(body())
        .to("seda:pull-referral");

    from("seda:pull-referral?concurrentConsumers={{secondlook.pull.concurrent-referrals}}")
        .routeId("pull-referral")
        .onException(Exception.class)
        .handled(true)
        .bean(PullRunner.class, "failed")
        .end()
        .setHeader(TASK_ID_HEADER, body())
        .bean(PullRunner.class, "run");

    from(FETCH_ALL)
        .routeId("ehr-fetch-all")
        .split(body(), AggregationStrategies.groupedBody())
        .parallelProcessing()
        .executorService(PullConfiguration.FETCH_POOL)
        .stopOnException()
        .to(FETCH_PAGES)
        .end();

    from(FETCH_PAGES).routeId("ehr-fetch-pages").bean(PageFollower.class, "fetch");

    from(REQUEST)
        .routeId("ehr-request")
        .onException(Exception.class)
        .retryWhile(method(EhrRequestExecutor.class, "shouldRetry"))
        .redeliveryDelay(0)
        .handled(false)
        .end()
        .bean(EhrRequestExecutor.class, "execute");
  }
}
