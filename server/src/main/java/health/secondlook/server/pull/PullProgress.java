package health.secondlook.server.pull;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What one running pull has fetched so far, by resource type, shown on the referral Task so the
 * referring team can see the pull advance.
 */
final class PullProgress {

  private final Map<String, AtomicInteger> fetched = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  void countRequest() {
    requests.incrementAndGet();
  }

  void countResource(String type) {
    fetched.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
  }

  String describe() {
    Map<String, Integer> sorted = new TreeMap<>();
    fetched.forEach((type, count) -> sorted.put(type, count.get()));
    String byType =
        sorted.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    return "Fetched so far (%d requests): %s"
        .formatted(requests.get(), byType.isEmpty() ? "nothing yet" : byType);
  }
}
