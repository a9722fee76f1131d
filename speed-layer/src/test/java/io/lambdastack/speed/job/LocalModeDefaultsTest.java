package io.lambdastack.speed.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** What the job sets only in local mode, where one JVM runs every task and the shuffle never leaves the machine. */
class LocalModeDefaultsTest {
  @Test
  void localModeNeitherWaitsForLocalityNorCompressesTheShuffle() {
    SparkConf conf = BackpressureDefaultsTest.conf(Map.of());
    assertThat(conf.get("spark.master")).startsWith("local");
    assertThat(conf.get("spark.locality.wait")).isEqualTo("0s");
    assertThat(conf.getBoolean("spark.shuffle.compress", true)).isFalse();
  }

  @Test
  void aClusterKeepsSparksDefaults() {
    SparkConf conf = BackpressureDefaultsTest.conf(Map.of("spark.master", "spark://127.0.0.1:7077"));
    assertThat(conf.contains("spark.locality.wait")).isFalse();
    assertThat(conf.contains("spark.shuffle.compress")).isFalse();
  }

  @Test
  void aConfOverrideWins() {
    assertThat(BackpressureDefaultsTest.conf(Map.of("spark.shuffle.compress", "true")).getBoolean("spark.shuffle.compress", false)).isTrue();
  }
}
