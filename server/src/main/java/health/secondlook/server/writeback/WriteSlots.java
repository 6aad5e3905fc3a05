package health.secondlook.server.writeback;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * The writes a write-back queue has under way, at most {@code concurrent-write-backs} at a time.
 * The queued state stays on the stored resource while a write runs (so a restart resumes it); this
 * is what keeps the next poll from taking the same one up again.
 */
final class WriteSlots {

  private final Set<String> running = ConcurrentHashMap.newKeySet();

  /**
   * Claims waiting items into the free slots.
   *
   * @param waiting the oldest waiting items, at most as many as asked for (running ones included)
   * @param claim a version-checked claim of one item; false when someone else changed it first
   * @return the ids claimed
   */
  <T> List<String> fill(
      int slots, IntFunction<List<T>> waiting, Function<T, String> id, Predicate<T> claim) {
    int free = slots - running.size();
    List<String> claimed = new ArrayList<>();
    if (free <= 0) {
      return claimed;
    }
    for (T item : waiting.apply(free + running.size())) {
      String itemId = id.apply(item);
      if (claimed.size() < free && !running.contains(itemId) && claim.test(item)) {
        running.add(itemId);
        claimed.add(itemId);
      }
    }
    return claimed;
  }

  boolean isRunning(String id) {
    return running.contains(id);
  }

  void release(String id) {
    running.remove(id);
  }
}
