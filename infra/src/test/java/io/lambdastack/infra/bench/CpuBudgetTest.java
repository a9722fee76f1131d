package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The goal's rate as CPU per record, against the parts of a record's work measured apart and the job's own. */
class CpuBudgetTest {
  private static SustainableRate.Step step(long rate, List<Long> records, StageTimes.PerBatch... stages) {
    List<BatchTimes.Batch> batches = records.stream().map(r -> new BatchTimes.Batch(0, r, 900, 0)).toList();
    return new SustainableRate.Step(rate, batches, 1_000, false, List.of(stages));
  }

  @Test
  void splitsTheKneesStagesIntoReadAndFoldAndTheRest() {
    SustainableRate.Step readFloor = step(3_600_000, List.of(3_600_000L, 3_600_000L),
        new StageTimes.PerBatch("foreachPartition at KafkaReadFloor.java:57", 468, 600));
    SustainableRate.Step knee = step(1_500_000, List.of(1_500_000L, 1_500_000L),
        new StageTimes.PerBatch("mapPartitionsToPair at MicroBatchFold.java:29", 1_050, 1_300),
        new StageTimes.PerBatch("foreachPartition at SpeedSinks.java:55", 150, 240),
        new StageTimes.PerBatch("mapToPair at SlidingViews.java:67", 15, 20));
    CpuBudget b = CpuBudget.of(3_600_000, readFloor, 2_500_000, knee);
    assertThat(b.budgetUs()).isCloseTo(0.5556, within(1e-4)); // 2 s of CPU over 3.6 million records
    assertThat(b.readUs()).isCloseTo(0.13, within(1e-9));
    assertThat(b.parseFoldUs()).isCloseTo(0.4, within(1e-9));
    assertThat(b.statesUs()).isCloseTo(0.11, within(1e-9)); // 165 ms over 1.5 million records
    assertThat(b.jobReadFoldUs()).isCloseTo(0.7, within(1e-9));
    assertThat(b.partsUs()).isCloseTo(0.64, within(1e-9));
    assertThat(b.jobUs()).isCloseTo(0.81, within(1e-9));
    assertThat(b.partsLine()).isEqualTo("0.56 µs of CPU a record on 2 cores; measured apart: reading 0.13 (the read floor at "
        + "3,600,000/s) + parsing and folding 0.40 (one thread) + states and outputs 0.11 (the job at 1,500,000/s) = 0.64 µs, "
        + "1.15 x the budget");
    assertThat(b.jobLine()).isEqualTo("read, parse and fold 0.70 + states and outputs 0.11 = 0.81 µs of CPU a record, 1.46 x the budget");
  }

  @Test
  void aShortLastBatchCountsInTheRecordsAsInTheCpu() {
    // Six measured batches, the last one nearly empty (a graceful stop completes it): 6 x 500 ms of CPU over 25,003,000 records.
    SustainableRate.Step readFloor = step(5_000_000, List.of(5_000_000L, 5_000_000L, 5_000_000L, 5_000_000L, 5_000_000L, 3_000L),
        new StageTimes.PerBatch("foreachPartition at KafkaReadFloor.java:57", 500, 600));
    assertThat(CpuBudget.cpuPerRecordUs(readFloor, readFloor.stages())).isCloseTo(6 * 500e3 / 25_003_000, within(1e-12));
  }
}
