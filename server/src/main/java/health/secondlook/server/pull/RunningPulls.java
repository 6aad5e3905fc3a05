package health.secondlook.server.pull;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The pulls this instance is running now, with their progress. */
@Component
class RunningPulls {

  private final Map<String, PullProgress> running = new ConcurrentHashMap<>();

  PullProgress start(String taskId) {
    return running.computeIfAbsent(taskId, id -> new PullProgress());
  }

  PullProgress progress(String taskId) {
    return running.getOrDefault(taskId, new PullProgress());
  }

  void finish(String taskId) {
    running.remove(taskId);
  }

  int count() {
    return running.size();
  }
}
