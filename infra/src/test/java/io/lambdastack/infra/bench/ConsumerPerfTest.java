package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many ConsumerPerformance rounds are read: the least asked for, then more while the rate still rises. */
class ConsumerPerfTest {
  @Test
  void roundsGoOnWhileTheRateStillRisesUpToTwelve() {
    assertThat(ConsumerPerf.goOn(1, 3, false)).as("fewer than the least asked for").isTrue();
    assertThat(ConsumerPerf.goOn(2, 3, false)).isTrue();
    assertThat(ConsumerPerf.goOn(3, 3, true)).as("the third round still rose (run 108: 6,859,023 -> 8,375,315)").isTrue();
    assertThat(ConsumerPerf.goOn(3, 3, false)).as("the third round did not beat the best by 2 %").isFalse();
    assertThat(ConsumerPerf.goOn(ConsumerPerf.MAX_ROUNDS, 3, true)).as("at most twelve").isFalse();
    assertThat(ConsumerPerf.goOn(ConsumerPerf.MAX_ROUNDS - 1, 3, true)).isTrue();
  }
}
