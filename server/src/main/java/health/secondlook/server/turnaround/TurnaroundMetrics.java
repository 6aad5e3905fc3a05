package health.secondlook.server.turnaround;

import health.secondlook.server.turnaround.TurnaroundFigures.StatusFigures;
import health.secondlook.server.turnaround.TurnaroundReport.Snapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes referral turnaround as Micrometer gauges (at {@code /actuator/metrics} and {@code
 * /actuator/prometheus}), recomputed from the stored Tasks every {@code
 * secondlook.turnaround.refresh-interval} and whenever {@code Task/$turnaround} is asked:
 *
 * <ul>
 *   <li>{@code secondlook.referrals.reached{status,recipient}}: referrals that reached the status;
 *   <li>{@code secondlook.turnaround.median{status,recipient}} and {@code
 *       secondlook.turnaround.p90{status,recipient}}, in seconds: time from request to the status;
 *   <li>{@code secondlook.referrals.overdue{recipient}}: reviews not ended whose due date passed.
 * </ul>
 *
 * {@code recipient} is the configured receiving organisation the referral is addressed to, {@code
 * none} or {@code other}, so the number of series stays bounded whatever Tasks are stored.
 */
class TurnaroundMetrics implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TurnaroundMetrics.class);

  private final TurnaroundReport report;
  private final Duration interval;
  private final MultiGauge reached;
  private final MultiGauge median;
  private final MultiGauge p90;
  private final MultiGauge overdue;
  private ScheduledExecutorService scheduler;

  TurnaroundMetrics(TurnaroundReport report, MeterRegistry registry, Duration interval) {
    this.report = report;
    this.interval = interval;
    this.reached =
        MultiGauge.builder("secondlook.referrals.reached")
            .description("Referrals that reached a Task status")
            .register(registry);
    this.median =
        MultiGauge.builder("secondlook.turnaround.median")
            .description("Median time from request to reaching a Task status")
            .baseUnit("seconds")
            .register(registry);
    this.p90 =
        MultiGauge.builder("secondlook.turnaround.p90")
            .description("90th percentile of the time from request to reaching a Task status")
            .baseUnit("seconds")
            .register(registry);
    this.overdue =
        MultiGauge.builder("secondlook.referrals.overdue")
            .description("Reviews not completed, rejected, cancelled or failed past their due date")
            .register(registry);
  }

  /** Reads the stored referrals now and publishes their figures. */
  synchronized Snapshot refresh() {
    Snapshot snapshot = report.load();
    List<MultiGauge.Row<?>> reachedRows = new ArrayList<>();
    List<MultiGauge.Row<?>> medianRows = new ArrayList<>();
    List<MultiGauge.Row<?>> p90Rows = new ArrayList<>();
    List<MultiGauge.Row<?>> overdueRows = new ArrayList<>();
    for (Map.Entry<String, TurnaroundFigures> entry : snapshot.byRecipient().entrySet()) {
      Tags recipient = Tags.of("recipient", entry.getKey());
      for (StatusFigures status : entry.getValue().statuses()) {
        Tags tags = recipient.and("status", status.status());
        reachedRows.add(MultiGauge.Row.of(tags, status.reached()));
        status.median().ifPresent(d -> medianRows.add(MultiGauge.Row.of(tags, seconds(d))));
        status.p90().ifPresent(d -> p90Rows.add(MultiGauge.Row.of(tags, seconds(d))));
      }
      overdueRows.add(MultiGauge.Row.of(recipient, entry.getValue().overdue().size()));
    }
    reached.register(reachedRows, true);
    median.register(medianRows, true);
    p90.register(p90Rows, true);
    overdue.register(overdueRows, true);
    return snapshot;
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // The previous figures stay published; the next round tries again.
      log.warn("Turnaround metrics not refreshed: {}", e.toString());
    }
  }

  @Override
  public synchronized void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "secondlook-turnaround");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleWithFixedDelay(
        this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }
}
