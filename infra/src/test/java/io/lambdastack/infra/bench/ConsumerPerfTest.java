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

  @Test
  void theBestRoundIsTakenOnceTheRateStopsRising() throws Exception {
    // run 110's rounds: the fourth the best, the fifth not 2 % over it
    double[] rates = {5_437_779, 6_618_289, 7_396_505, 7_993_665, 7_861_673, 9_000_000};
    ConsumerPerf.Result r = ConsumerPerf.best(round -> rates[round - 1], 3);
    assertThat(r.rounds()).isEqualTo(5);
    assertThat(r.rate()).isEqualTo(7_993_665);
    // a rise of under 2 % ends it too
    double[] flat = {7_000_000, 7_100_000, 7_200_000, 7_300_000};
    assertThat(ConsumerPerf.best(round -> flat[round - 1], 3)).isEqualTo(new ConsumerPerf.Result(7_200_000, 3));
    // always rising: twelve rounds at most
    assertThat(ConsumerPerf.best(round -> 1_000_000.0 * round, 3).rounds()).isEqualTo(ConsumerPerf.MAX_ROUNDS);
  }
}
