package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The goal's rate as CPU per record, against the parts of a record's work measured apart. */
class CpuBudgetTest {
  private static SustainableRate.Step step(long records, StageTimes.PerBatch... stages) {
    List<BatchTimes.Batch> batches = List.of(new BatchTimes.Batch(0, records, 900, 0), new BatchTimes.Batch(1, records, 900, 0));
    return new SustainableRate.Step(records, batches, 1_000, false, List.of(stages));
  }

  @Test
  void splitsTheKneesStagesIntoReadAndFoldAndTheRest() {
    SustainableRate.Step readFloor = step(5_000_000, new StageTimes.PerBatch("foreachPartition at KafkaReadFloor.java:57", 650, 800));
    SustainableRate.Step knee = step(1_500_000,
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
    assertThat(b.line()).contains("0.56 µs of CPU a record", "= 0.64 µs, 1.15 x the budget: out of reach", "read, parse and fold: 0.70");
  }

  @Test
  void partsUnderTheBudgetSayNothingIsRuledOut() {
    SustainableRate.Step readFloor = step(5_000_000, new StageTimes.PerBatch("foreachPartition at KafkaReadFloor.java:57", 500, 600));
    SustainableRate.Step knee = step(2_000_000, new StageTimes.PerBatch("mapPartitionsToPair at MicroBatchFold.java:29", 600, 700),
        new StageTimes.PerBatch("foreachPartition at SpeedSinks.java:55", 100, 150));
    CpuBudget b = CpuBudget.of(2_000_000, readFloor, 5_000_000, knee); // budget 1 µs: 0.1 + 0.2 + 0.05
    assertThat(b.partsUs()).isCloseTo(0.35, within(1e-9));
    assertThat(b.line()).contains("0.35 x the budget (").doesNotContain("out of reach");
  }
}
