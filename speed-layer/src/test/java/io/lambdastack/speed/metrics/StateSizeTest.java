package io.lambdastack.speed.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The state-size metrics: partitions' counts added up per view, each state measured on a batch of its own. */
class StateSizeTest {
  @Test
  void thePartitionsCountsAddUpPerView() {
    Map<String, Tuple2<Long, Long>> total = StateSize.sum(List.of(
        Map.of("temps", new long[] {3, 7}, "totals", new long[] {2, 2}),
        Map.of(),
        Map.of("temps", new long[] {1, 4})));
    assertThat(total).containsOnly(
        Map.entry("temps", new Tuple2<>(4L, 11L)),
        Map.entry("totals", new Tuple2<>(2L, 2L)));
  }

  @Test
  void eachStateIsMeasuredEveryFiveBatchesAndNoTwoOnOneBatch() {
    long interval = 1_000;
    long start = 1_764_000_000_000L; // a batch time: a multiple of the interval
    for (int phase = 1; phase <= 4; phase++) {
      int p = phase;
      List<Integer> batches = IntStream.range(0, 20).filter(b -> StateSize.measuredOn(start + b * interval, interval, p)).boxed().toList();
      assertThat(batches).as("phase %d", phase).hasSize(4);
      assertThat(batches.get(1) - batches.get(0)).isEqualTo(StateSize.EVERY);
    }
    for (int b = 0; b < 20; b++) {
      long time = start + b * interval;
      assertThat(IntStream.rangeClosed(1, 4).filter(p -> StateSize.measuredOn(time, interval, p)).count())
          .as("states measured on batch %d", b).isLessThanOrEqualTo(1);
    }
  }
}
