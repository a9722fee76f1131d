package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live knee's search: which rates it runs, and which it reports, against a job of a known live capacity. */
class LiveKneeTest {
  /**
   * Searches against a job that keeps up below {@code capacity} (processing 900 ms a batch) and not at or above it
   * (1,200 ms), checking that the steps ran exactly {@code expected} rates, in order, numbered from 1.
   */
  private static LiveKnee.Result search(long capacity, long prefilledKnee, int maxSteps, Long... expected) throws Exception {
    List<Long> ran = new ArrayList<>();
    LiveKnee.Result r = LiveKnee.search((rate, index) -> {
      ran.add(rate);
      assertThat(index).isEqualTo(ran.size());
      return SustainableRateTest.step(rate, rate, rate < capacity ? 900 : 1_200);
    }, prefilledKnee, maxSteps, 3);
    assertThat(ran).containsExactly(expected);
    assertThat(r.steps()).hasSize(expected.length);
    return r;
  }

  @Test
  void startsAtHalfThePrefilledKneeAndBisectsUpwardWhenThatKeepsUp() throws Exception {
    assertThat(search(1_500_000, 2_400_000, 4, 1_200_000L, 1_800_000L, 1_500_000L, 1_350_000L).best().rate()).isEqualTo(1_350_000);
  }

  @Test
  void halvesUntilAStepKeepsUpThenBisectsBelowTheLowestFailure() throws Exception {
    assertThat(search(700_000, 2_400_000, 4, 1_200_000L, 600_000L, 900_000L, 750_000L).best().rate()).isEqualTo(600_000);
  }

  @Test
  void noStepKeptUpLeavesNoKnee() throws Exception {
    assertThat(search(1, 2_400_000, 3, 1_200_000L, 600_000L, 300_000L).best()).isNull();
  }

  @Test
  void stopsAtTheSmallestRateWhenEvenThatFails() throws Exception {
    assertThat(search(1, 6_000, 10, 3_000L, 1_500L).best()).isNull(); // 1,500: 500 a partition, the least a step runs
  }

  @Test
  void stopsWhenTheBisectionCannotSplitFurther() throws Exception {
    // rates are multiples of 1,500 on 3 partitions (500 a partition): after 3,000 kept up and 4,500 did not, none lies between
    assertThat(search(4_000, 9_000, 10, 4_500L, 1_500L, 3_000L).best().rate()).isEqualTo(3_000);
  }

  @Test
  void aLoadThatFellShortOfTheRateIsAFailureNamedAsSuch() {
    assertThat(LiveKnee.verdict(SustainableRateTest.step(1_815_000, 1_277_882, 923))).isEqualTo("not carried: the load reached 70 % of the rate set");
    assertThat(LiveKnee.verdict(SustainableRateTest.step(1_512_000, 1_512_000, 1_200))).isEqualTo("too fast");
    assertThat(LiveKnee.verdict(SustainableRateTest.step(1_360_500, 1_311_527, 947))).isEqualTo("SUSTAINED");
  }
}
