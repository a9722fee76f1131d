package io.lambdastack.view.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.view.event.Event;
import io.lambdastack.view.spark.SparkCopy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Aggregates survive the binary codec (Kafka, Parquet) and Java serialization (Spark state, checkpoints). */
class AggregateCodecTest {
  final ViewFold fold = SpeedBatchEquivalenceTest.FOLD;
  final ViewAggregator aggregator = fold.aggregator("by_sensor");

  Aggregate sample() {
    Aggregate a = aggregator.zero();
    for (int i = 0; i < 500; i++) {
      aggregator.add(a, new Event("e" + i, 1000 + i, Map.of("sensorId", "s", "serial", "x" + (i % 37)),
          Map.of("temperature", i * 0.1)));
    }
    return a;
  }

  @Test
  void binaryRoundTripKeepsEveryAnswer() {
    Aggregate a = sample();
    Aggregate back = aggregator.decode(aggregator.encode(a));
    assertThat(aggregator.results(back)).isEqualTo(aggregator.results(a));
    assertThat(back.events()).isEqualTo(500);
    assertThat(back.maxEventTime()).isEqualTo(1499);
    assertThat(aggregator.results(a)).containsEntry("count", 500L).containsEntry("distinct_serial", 37L)
        .containsEntry("min_temperature", 0.0).containsEntry("max_temperature", 49.900000000000006)
        .containsEntry("mean_temperature", 24.950000000000003);
  }

  @Test
  void javaSerializationRoundTripKeepsEveryAnswer() {
    Aggregate a = sample();
    assertThat(aggregator.results(SparkCopy.of(a))).isEqualTo(aggregator.results(a));
  }

  @Test
  void copyIsIndependent() {
    Aggregate a = sample();
    Aggregate c = aggregator.copy(a);
    aggregator.merge(c, sample());
    assertThat(aggregator.results(a).get("count")).isEqualTo(500L);
    assertThat(aggregator.results(c).get("count")).isEqualTo(1000L);
  }

  @Test
  void emptyAggregateAnswersNullsExceptCounts() {
    assertThat(aggregator.results(aggregator.zero())).containsEntry("count", 0L).containsEntry("sum_temperature", null)
        .containsEntry("min_temperature", null).containsEntry("quantiles_temperature", null).containsEntry("distinct_serial", 0L);
  }

  @Test
  void foreignBytesAreRejectedClearly() {
    byte[] other = fold.aggregator("elsewhere").encode(fold.aggregator("elsewhere").zero());
    assertThatThrownBy(() -> aggregator.decode(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aggregate has 1 measures, view by_sensor declares 7");
  }
}
