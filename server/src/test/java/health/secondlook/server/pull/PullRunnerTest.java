package health.secondlook.server.pull;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PullRunnerTest {

  @Test
  void theEhrsPageSizeReplacesTheMappingsCount() {
    assertThat(PullRunner.withPageSize("Condition?patient=1&_count=100", 50))
        .isEqualTo("Condition?patient=1&_count=50");
    assertThat(PullRunner.withPageSize("Condition?_count=100&patient=1", 50))
        .isEqualTo("Condition?patient=1&_count=50");
    assertThat(PullRunner.withPageSize("Specimen?patient=1", 5))
        .isEqualTo("Specimen?patient=1&_count=5");
  }
}
