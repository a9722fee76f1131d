package io.lambdastack.speed.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.ViewFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFingerprintTest {
  static SpeedLayerSettings settings(String measures, Path checkpoint) {
    return new SpeedLayerSettings(ViewFile.parse("v", """
        views:
          - name: v
            source: t
            key: [k]
            bucket: 10s
            measures: [%s]
        """.formatted(measures)), "127.0.0.1:9092", "g", "out", checkpoint.toUri().toString(), Duration.ofSeconds(1), Map.of());
  }

  @Test
  void aCheckpointMadeForOtherViewsIsRefusedInOneLine(@TempDir Path dir) {
    new CheckpointFingerprint(settings("count", dir), new Configuration()).write();
    new CheckpointFingerprint(settings("count", dir), new Configuration()).requireMatch(); // same job: fine
    assertThatThrownBy(() -> new CheckpointFingerprint(settings("count, sum(x)", dir), new Configuration()).requireMatch())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("the checkpoint " + dir.toUri() + " was made for other views or settings");
  }

  @Test
  void aCheckpointThisCodeCannotReadIsRefusedInOneLineNamingTheUpgrade(@TempDir Path dir) throws Exception {
    // What Spark finds after a code change: checkpoint files it fails to deserialize (here: bytes that are no checkpoint).
    java.nio.file.Files.write(dir.resolve("checkpoint-1000"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(() -> SpeedLayerJob.getOrCreate(settings("count", dir)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("the checkpoint " + dir.toUri() + " cannot be restored by this version of the speed layer (")
        .hasMessageContaining("run once with --upgrade")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void otherFailuresPassThroughUnchanged() {
    IllegalStateException other = new IllegalStateException("Failed to read checkpoint, but not Spark's error");
    assertThat(CheckpointFingerprint.unreadable("dir", other)).isSameAs(other);
    org.apache.spark.SparkException spark = new org.apache.spark.SparkException("Task failed");
    assertThat(CheckpointFingerprint.unreadable("dir", new RuntimeException(spark))).isNotInstanceOf(ConfigException.class);
  }

  @Test
  void noFingerprintYetMeansAFreshCheckpoint(@TempDir Path dir) {
    new CheckpointFingerprint(settings("count", dir.resolve("new")), new Configuration()).requireMatch();
    assertThat(CheckpointFingerprint.of(settings("count", dir))).isEqualTo(CheckpointFingerprint.of(settings("count", dir)))
        .isNotEqualTo(CheckpointFingerprint.of(settings("count, min(x)", dir)));
  }
}
