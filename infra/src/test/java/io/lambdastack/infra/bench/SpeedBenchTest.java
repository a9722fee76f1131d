package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ratio's verdict: a knee at the topic's limit is a lower bound, which says nothing of the goal below it. */
class SpeedBenchTest {
  @Test
  void aRatioAtTheTopicsLimitUnderTheGoalIsNotMeasuredAndAtOrAboveItIsMet() {
    assertThat(SpeedBench.ratioVerdict(0.38, false)).isEqualTo("MISSED");
    assertThat(SpeedBench.ratioVerdict(0.38, true)).startsWith("NOT MEASURED");
    assertThat(SpeedBench.ratioVerdict(0.5, true)).isEqualTo("MET");
    assertThat(SpeedBench.ratioVerdict(0.62, false)).isEqualTo("MET");
  }
}
