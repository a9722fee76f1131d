package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which batches a latency run or live step counts as its measured period. */
class LatencyRunTest {
  @Test
  void theMeasuredBatchesAreThoseDueAfterTheWarmUpAndByTheLastSend() {
    List<BatchTimes.Batch> batches = List.of(1_000L, 2_000L, 3_000L, 4_000L, 5_000L).stream()
        .map(t -> new BatchTimes.Batch(t, 100, 500, 0)).toList();
    // warm-up until 1,000, sending until 4,000: the batch due at 5,000 reads only what came after the last send
    assertThat(LatencyRun.sentIn(batches, 1_000, 4_000)).extracting(BatchTimes.Batch::time).containsExactly(2_000L, 3_000L, 4_000L);
  }
}
