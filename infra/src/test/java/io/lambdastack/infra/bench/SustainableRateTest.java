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
    assertThat(new SustainableRate.Result(List.of(low, top), top, null).atTopicLimit()).isTrue();
    assertThat(new SustainableRate.Result(List.of(low, failed, top), top, 400_000L).atTopicLimit()).as("a step failed: the knee was found").isFalse();
    assertThat(new SustainableRate.Result(List.of(failed), null, null).atTopicLimit()).as("nothing kept up").isFalse();
  }

  @Test
  void aStepTheTopicFedBelowTheRateOrThatMeasuredNothingIsNotSustained() {
    assertThat(step(100_000, 94_000, 500, 500).sustained()).as("94 % of the rate carried").isFalse();
    assertThat(step(100_000, 95_000, 500, 500).sustained()).as("95 % of the rate carried").isTrue();
    assertThat(step(100_000, 100_000).sustained()).as("no batch measured").isFalse();
  }

  @Test
  void theDoublingsFirstFailureIsRunAgainAndTheSecondRunDecides() throws InterruptedException {
    // cold: the first step at 800,000 fails; run again it keeps up, so the doubling goes on to 1,600,000
    List<Long> run = new java.util.ArrayList<>();
    int[] runsAt800k = {0};
    SustainableRate.Result r = SustainableRate.search(rate -> {
      run.add(rate);
      boolean cold = rate == 800_000 && runsAt800k[0]++ == 0;
      return step(rate, rate, cold || rate > 1_000_000 ? 1_100 : 900);
    }, 200_000, 2, 10_000_000, 4);
    assertThat(run).containsExactly(200_000L, 400_000L, 800_000L, 800_000L, 1_600_000L, 1_200_000L, 1_000_000L);
    assertThat(r.best().rate()).isEqualTo(1_000_000);
    assertThat(r.steps()).hasSize(7);
  }

  @Test
  void aColdFailureAtTheTopicsLimitThatKeepsUpWhenRunAgainLeavesTheKneeAboveTheTopic() throws InterruptedException {
    // run 107's case: 3 partitions, the topic feeds up to 2,953,846 records/s; the first run there is cold
    int[] runsAtCap = {0};
    SustainableRate.Result r = SustainableRate.search(rate -> step(rate, rate, rate == 2_953_500 && runsAtCap[0]++ == 0 ? 1_087 : 843),
        1_536_000, 3, 2_953_846, 3);
    assertThat(r.steps()).extracting(SustainableRate.Step::rate).containsExactly(1_536_000L, 2_953_500L, 2_953_500L);
    assertThat(r.best().rate()).isEqualTo(2_953_500);
    assertThat(r.atTopicLimit()).as("no rate above the best failed, though a run at it did").isTrue();
  }

  @Test
  void aFailureThatHoldsWhenRunAgainEndsTheDoublingAndOnlyThatOneIsRunTwice() throws InterruptedException {
    List<Long> run = new java.util.ArrayList<>();
    SustainableRate.Result r = SustainableRate.search(rate -> {
      run.add(rate);
      return step(rate, rate, rate > 500_000 ? 1_100 : 900);
    }, 200_000, 2, 10_000_000, 4);
    // 800,000 fails twice; the refinement's failures (600,000) are run once
    assertThat(run).containsExactly(200_000L, 400_000L, 800_000L, 800_000L, 600_000L, 500_000L);
    assertThat(r.best().rate()).isEqualTo(500_000);
    assertThat(r.atTopicLimit()).isFalse();
    assertThat(r.failedAbove()).isEqualTo(600_000);
  }

  @Test
  void aFirstStepThatFailsBeforeAnyKeptUpIsNotRunAgain() throws InterruptedException {
    List<Long> run = new java.util.ArrayList<>();
    SustainableRate.search(rate -> {
      run.add(rate);
      return step(rate, rate, rate > 300_000 ? 1_100 : 900);
    }, 800_000, 0, 10_000_000, 4);
    assertThat(run).containsExactly(800_000L, 400_000L, 200_000L);
  }
}
