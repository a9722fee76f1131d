package io.lambdastack.speed.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The states' checkpoint intervals: within 5-10 batches each, and no two on one batch for the first 39 batches. */
class StateCheckpointsTest {
  @Test
  void intervalsAreFiveToTenBatchesAndRarelyCoincide() {
    for (StateCheckpoints s : StateCheckpoints.values()) {
      assertThat(s.batches()).as(s.name()).isBetween(5, 10);
      assertThat(s.interval(1_000).milliseconds()).isEqualTo(s.batches() * 1_000L);
    }
    assertThat(StateCheckpoints.BUCKETS.batches()).as("open buckets time out on their checkpoint batches: every 10").isEqualTo(10);
    for (int batch = 1; batch < 40; batch++) {
      int b = batch;
      long checkpointed = Arrays.stream(StateCheckpoints.values()).filter(s -> b % s.batches() == 0).count();
      assertThat(checkpointed).as("states checkpointed on batch %d", batch).isLessThanOrEqualTo(1);
    }
    int b = 40;
    assertThat(Arrays.stream(StateCheckpoints.values()).filter(s -> b % s.batches() == 0).count()).isEqualTo(2);
  }
}
