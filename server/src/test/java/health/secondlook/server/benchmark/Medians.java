package health.secondlook.server.benchmark;

import java.util.Arrays;

/** The statistic the benchmarks report: the median, robust to a slow round on a busy machine. */
final class Medians {

  private Medians() {}

  static double of(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
