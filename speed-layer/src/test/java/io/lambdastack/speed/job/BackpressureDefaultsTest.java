package io.lambdastack.speed.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * The backpressure defaults. The per-partition cap must never bind below what the job can process: it caps each
 * partition, keys spread unevenly, and a partition capped below its share of the live rate lags for ever (at a
 * cap of 100,000 and 230,000 events/s, the latency grew by seconds a minute).
 */
class BackpressureDefaultsTest {
  /** The top of the sustainable range measured on 2 cores (bench/speed-layer.sh, run 78), events/s over all partitions. */
  static final long MEASURED_CAPACITY = 1_845_000;

  static SparkConf conf(Map<String, String> extra) {
    return SpeedLayerJob.sparkConf(new SpeedLayerSettings(CheckpointFingerprintTest.settings("count", Path.of("/tmp/x")).views(),
        "127.0.0.1:9092", "g", "out", "/tmp/x", java.time.Duration.ofSeconds(1), extra));
  }

  @Test
  void backpressureIsOnWithAnInitialRateAndACap() {
    SparkConf conf = conf(Map.of());
    assertThat(conf.get("spark.streaming.backpressure.enabled")).isEqualTo("true");
    assertThat(conf.getLong("spark.streaming.backpressure.initialRate", 0)).isEqualTo(200_000);
    assertThat(conf.getLong("spark.streaming.kafka.maxRatePerPartition", 0)).isEqualTo(SpeedLayerJob.MAX_RATE_PER_PARTITION);
  }

  @Test
  void onePartitionMayTakeAllTheJobCanDo() {
    long cap = conf(Map.of()).getLong("spark.streaming.kafka.maxRatePerPartition", 0);
    assertThat(cap).as("one hot key: the whole measured capacity on one partition").isGreaterThanOrEqualTo(MEASURED_CAPACITY);
    assertThat(cap).as("one hot key: the whole first batch on one partition")
        .isGreaterThanOrEqualTo(conf(Map.of()).getLong("spark.streaming.backpressure.initialRate", 0));
  }

  @Test
  void theDemoSensorsSpreadUnevenlyEnoughToHaveNeededIt() {
    // The generator's 20 sensors on 3 partitions, by the producer's hash of the key: 4, 9 and 7 of them.
    int[] sensors = new int[3];
    for (int i = 0; i < 20; i++) {
      byte[] key = String.format("sensor-%03d", i).getBytes(StandardCharsets.UTF_8);
      sensors[Utils.toPositive(Utils.murmur2(key)) % 3]++;
    }
    assertThat(sensors).containsExactly(4, 9, 7);
    long busiestAtHalfCapacity = MEASURED_CAPACITY / 2 * 9 / 20;
    assertThat(busiestAtHalfCapacity).as("the old cap of 100,000 was below it").isGreaterThan(100_000)
        .isLessThan(SpeedLayerJob.MAX_RATE_PER_PARTITION);
    long busiestAtCapacity = MEASURED_CAPACITY * 9 / 20;
    assertThat(busiestAtCapacity).as("the cap of 500,000 was below it").isGreaterThan(500_000)
        .isLessThan(SpeedLayerJob.MAX_RATE_PER_PARTITION);
  }

  @Test
  void aConfOverrideWins() {
    assertThat(conf(Map.of("spark.streaming.kafka.maxRatePerPartition", "1000")).get("spark.streaming.kafka.maxRatePerPartition"))
        .isEqualTo("1000");
  }
}
