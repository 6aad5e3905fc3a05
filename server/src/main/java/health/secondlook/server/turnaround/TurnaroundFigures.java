package health.secondlook.server.turnaround;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turnaround of a set of referrals at one moment: per status, how many referrals reached it and the
 * median and 90th-percentile time from request to reaching it; and the referrals whose review is
 * overdue. Percentiles interpolate linearly between the two nearest ranks (as a spreadsheet's
 * PERCENTILE.INC does), so the median of 1 h and 2 h is 1.5 h.
 */
record TurnaroundFigures(Instant at, List<StatusFigures> statuses, List<Referral> overdue) {

  /** The statuses of "Task at fulfiller" that turnaround reports, in workflow order. */
  static final List<String> STATUSES =
      List.of(
          "requested",
          "received",
          "accepted",
          "rejected",
          "in-progress",
          "completed",
          "failed",
          "cancelled");

  /**
   * @param reached referrals that reached the status
   * @param median median time from request to reaching it; empty when none did
   * @param p90 90th percentile of that time; empty when none did
   */
  record StatusFigures(
      String status, int reached, Optional<Duration> median, Optional<Duration> p90) {}

  static TurnaroundFigures of(Collection<Referral> referrals, Instant at) {
    List<StatusFigures> statuses = new ArrayList<>();
    for (String status : STATUSES) {
      long[] millis =
          referrals.stream()
              .filter(r -> r.reached().containsKey(status) && r.requested().isPresent())
              .mapToLong(
                  r ->
                      // A clock that went backwards must not make a negative turnaround.
                      Math.max(
                          0,
                          Duration.between(r.requested().get(), r.reached().get(status))
                              .toMillis()))
              .sorted()
              .toArray();
      statuses.add(
          new StatusFigures(
              status, millis.length, percentile(millis, 0.5), percentile(millis, 0.9)));
    }
    List<Referral> overdue =
        referrals.stream()
            .filter(r -> r.overdueAt(at))
            .sorted(Comparator.comparing((Referral r) -> r.due().orElseThrow()))
            .toList();
    return new TurnaroundFigures(at, List.copyOf(statuses), overdue);
  }

  StatusFigures status(String status) {
    return statuses.stream().filter(s -> s.status().equals(status)).findFirst().orElseThrow();
  }

  static Optional<Duration> percentile(long[] sortedMillis, double p) {
    if (sortedMillis.length == 0) {
      return Optional.empty();
    }
    double rank = p * (sortedMillis.length - 1);
    int below = (int) Math.floor(rank);
    int above = (int) Math.ceil(rank);
    double value =
        sortedMillis[below] + (rank - below) * (sortedMillis[above] - sortedMillis[below]);
    return Optional.of(Duration.ofMillis(Math.round(value)));
  }

  @Override
  public String toString() {
    return "TurnaroundFigures[at=%s, statuses=%s, overdue=%s]"
        .formatted(at, statuses, Arrays.toString(overdue.stream().map(Referral::taskId).toArray()));
  }
}
