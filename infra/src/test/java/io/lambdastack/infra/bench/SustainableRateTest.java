package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a rate step counts as sustained: the mean processing time under the interval, at the rate set. */
class SustainableRateTest {
  static SustainableRate.Step step(long rate, long records, long... processingMs) {
    List<BatchTimes.Batch> batches = Arrays.stream(processingMs).mapToObj(p -> new BatchTimes.Batch(0, records, p, 0)).toList();
    return new SustainableRate.Step(rate, batches, 1_000, false, List.of());
  }

  @Test
  void aMedianUnderTheIntervalIsNotEnoughWhenTheMeanBuildsAQueue() {
    // three quick batches and two checkpoint-slow ones: median 800 ms, mean 1,040 ms: the queue grows
    SustainableRate.Step s = step(100_000, 100_000, 800, 800, 800, 1_400, 1_400);
    assertThat(s.processing().at(0.5)).isEqualTo(800);
    assertThat(s.meanProcessingMs()).isEqualTo(1_040.0);
    assertThat(s.sustained()).isFalse();
  }

  @Test
  void aMeanUnderTheIntervalAtTheRateSetIsSustained() {
    assertThat(step(100_000, 100_000, 700, 900, 1_200, 950).sustained()).isTrue(); // mean 937.5 ms, one batch over
    assertThat(step(100_000, 100_000, 1_000, 1_000).sustained()).as("exactly the interval: not under it").isFalse();
  }

  @Test
  void aSearchWhoseEveryStepKeptUpEndedAtTheTopicsLimitNotTheKnee() {
    SustainableRate.Step low = step(100_000, 100_000, 500);
    SustainableRate.Step top = step(200_000, 200_000, 900);
    SustainableRate.Step failed = step(400_000, 400_000, 1_300);
    assertThat(new SustainableRate.Result(List.of(low, top), top).atTopicLimit()).isTrue();
    assertThat(new SustainableRate.Result(List.of(low, failed, top), top).atTopicLimit()).as("a step failed: the knee was found").isFalse();
    assertThat(new SustainableRate.Result(List.of(failed), null).atTopicLimit()).as("nothing kept up").isFalse();
  }

  @Test
  void aStepTheTopicFedBelowTheRateOrThatMeasuredNothingIsNotSustained() {
    assertThat(step(100_000, 94_000, 500, 500).sustained()).as("94 % of the rate carried").isFalse();
    assertThat(step(100_000, 95_000, 500, 500).sustained()).as("95 % of the rate carried").isTrue();
    assertThat(step(100_000, 100_000).sustained()).as("no batch measured").isFalse();
  }
}
