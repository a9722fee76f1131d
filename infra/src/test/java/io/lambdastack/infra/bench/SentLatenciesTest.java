package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentLatenciesTest {
  @Test
  void cutsTheRunByWhenEventsWereSent() {
    SentLatencies l = new SentLatencies();
    l.add(1_000, 900); // warm-up
    l.add(1_999, 2_500);
    l.add(2_000, 700); // measured: [2000, ...)
    l.add(2_500, 1_100);
    l.add(3_000, 800);

    assertThat(l.sentIn(Long.MIN_VALUE, Long.MAX_VALUE).sorted()).containsExactly(700, 800, 900, 1_100, 2_500);
    assertThat(l.sentIn(1_000, 2_000).sorted()).containsExactly(900, 2_500);
    assertThat(l.sentIn(2_000, Long.MAX_VALUE).sorted()).containsExactly(700, 800, 1_100);
    assertThat(l.sentIn(2_000, 3_000).at(0.95)).isEqualTo(1_100); // the end is exclusive
    assertThat(l.sentIn(5_000, 6_000).size()).isZero();
  }

  @Test
  void keepsEveryLatencyAcrossItsChunks() {
    SentLatencies l = new SentLatencies();
    int n = 2_500_000; // three chunks of 1,048,576
    for (int i = 0; i < n; i++) {
      l.add(i, i % 1000);
    }
    assertThat(l.sentIn(Long.MIN_VALUE, Long.MAX_VALUE).size()).isEqualTo(n);
    assertThat(l.sentIn(100_000, 100_010).sorted()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(l.sentIn(1_048_570, 1_048_580).sorted()).as("across the first chunk's end")
        .containsExactly(570, 571, 572, 573, 574, 575, 576, 577, 578, 579);
    assertThat(l.sentIn(2_000_000, Long.MAX_VALUE).size()).isEqualTo(500_000);
    assertThat(l.sentIn(Long.MIN_VALUE, Long.MAX_VALUE).max()).isEqualTo(999);
  }

  @Test
  void latenciesSpreadWiderThanItsCountsStillGiveTheirPercentiles() {
    SentLatencies l = new SentLatencies();
    l.add(1, 3);
    l.add(2, SentLatencies.MAX_SPAN + 10); // a span counted per millisecond would need more than MAX_SPAN counts
    l.add(3, 5);
    assertThat(l.sentIn(Long.MIN_VALUE, Long.MAX_VALUE).sorted()).containsExactly(3, 5, SentLatencies.MAX_SPAN + 10);
    assertThat(l.sentIn(Long.MIN_VALUE, Long.MAX_VALUE).at(0.5)).isEqualTo(5);
  }
}
