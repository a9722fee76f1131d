package io.lambdastack.speed.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.junit.jupiter.api.Test;

class OutputLedgerTest {
  private static OffsetRange[] ranges(long from, long until) {
    return new OffsetRange[] {OffsetRange.create("t", 0, from, until), OffsetRange.create("t", 1, from * 2, until * 2)};
  }

  @Test
  void commitsEachBatchAfterItsOutputs() {
    OutputLedger ledger = OutputLedger.start("ledger-ok");
    ledger.generated(1000, ranges(0, 10));
    ledger.generated(2000, ranges(10, 25));
    assertThat(ledger.completed()).isEmpty();
    assertThat(ledger.outputsDone(1000)).containsExactly(ranges(0, 10));
    assertThat(ledger.completed()).isEqualTo(Map.of(new TopicPartition("t", 0), 10L, new TopicPartition("t", 1), 20L));
    assertThat(ledger.outputsDone(2000)).containsExactly(ranges(10, 25));
    assertThat(ledger.completed()).isEqualTo(Map.of(new TopicPartition("t", 0), 25L, new TopicPartition("t", 1), 50L));
    assertThat(ledger.outputsDone(2000)).as("once").isEmpty();
  }

  @Test
  void afterAFailedOutputNothingIsCommittedOrPublished() {
    OutputLedger ledger = OutputLedger.start("ledger-failed");
    ledger.generated(1000, ranges(0, 10));
    ledger.generated(2000, ranges(10, 25));
    ledger.generated(3000, ranges(25, 30));
    assertThat(ledger.outputsDone(1000)).hasSize(2);
    ledger.requireNoFailure(2000);
    ledger.failed(2000, new IllegalStateException("publishing speed views failed"));

    // Spark runs the failed batch's bookkeeping anyway, and maybe later batches before the job stops.
    assertThat(ledger.outputsDone(2000)).isEmpty();
    assertThatThrownBy(() -> ledger.requireNoFailure(3000)).isInstanceOf(IllegalStateException.class)
        .hasMessage("batch 3000 neither published nor committed: an output of batch 2000 failed (publishing speed views failed);"
            + " the job is stopping, and a restart from the checkpoint runs it again");
    assertThat(ledger.outputsDone(3000)).isEmpty();
    assertThat(ledger.completed()).as("what a stop would commit: batch 1000's end")
        .isEqualTo(Map.of(new TopicPartition("t", 0), 10L, new TopicPartition("t", 1), 20L));
  }

  @Test
  void aFailureWithoutAMessageIsNamedByItsClass() {
    OutputLedger ledger = OutputLedger.start("ledger-no-message");
    ledger.failed(1000, new NullPointerException());
    assertThatThrownBy(() -> ledger.requireNoFailure(2000))
        .hasMessageContaining("an output of batch 1000 failed (java.lang.NullPointerException)");
  }

  @Test
  void eachRunOfAGroupStartsClean() {
    OutputLedger.start("ledger-rerun").failed(1000, new RuntimeException("x"));
    OutputLedger again = OutputLedger.start("ledger-rerun");
    assertThat(OutputLedger.of("ledger-rerun")).isSameAs(again);
    again.requireNoFailure(2000);
    assertThat(OutputLedger.of("another-group")).isNotSameAs(again);
  }

  @Test
  void jobsRunningConcurrentlyAreRefusedAtStart() {
    var views = CheckpointFingerprintTest.settings("count", java.nio.file.Path.of("/tmp/x")).views();
    for (String jobs : new String[] {"2", "0"}) {
      var settings = new SpeedLayerSettings(views, "127.0.0.1:9092", "g", "out", "/tmp/x", java.time.Duration.ofSeconds(1),
          Map.of("spark.streaming.concurrentJobs", jobs));
      assertThatThrownBy(() -> SpeedLayerJob.requireSequentialJobs(settings)).isInstanceOf(io.lambdastack.view.config.ConfigException.class)
          .hasMessageStartingWith("spark.streaming.concurrentJobs must be 1 (got " + jobs + ")");
    }
    SpeedLayerJob.requireSequentialJobs(new SpeedLayerSettings(views, "127.0.0.1:9092", "g", "out", "/tmp/x",
        java.time.Duration.ofSeconds(1), Map.of("spark.streaming.concurrentJobs", "1")));
  }
}
