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
  void aCheckpointSparkCannotReadIsRefusedInOneLine(@TempDir Path dir) throws Exception {
    // Real Spark reading checkpoint files it cannot deserialize (here: bytes that are no checkpoint, cut short).
    java.nio.file.Files.write(dir.resolve("checkpoint-1000"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(() -> SpeedLayerJob.getOrCreate(settings("count", dir)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("the checkpoint " + dir.toUri() + " cannot be read (EOFException)")
        .hasMessageContaining("run once with --upgrade")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aClassThatChangedWithTheCodeNamesTheClassAndTheUpgrade() {
    Exception spark = new org.apache.spark.SparkException("Failed to read checkpoint from directory d",
        new IllegalStateException("wrapped", new java.io.InvalidClassException("io.lambdastack.X",
            "local class incompatible: stream classdesc serialVersionUID = 1, local class serialVersionUID = 2\nsecond line")));
    RuntimeException e = CheckpointFingerprint.unreadable("hdfs://nn/cp", spark);
    assertThat(e).isInstanceOf(ConfigException.class);
    assertThat(e.getMessage())
        .startsWith("the checkpoint hdfs://nn/cp was written by other code (InvalidClassException: io.lambdastack.X; local class "
            + "incompatible: stream classdesc serialVersionUID = 1, local class serialVersionUID = 2) and checkpoints do not survive")
        .contains("stop the old version with SIGTERM", "once with --upgrade")
        .doesNotContain("\n", "second line");
  }

  @Test
  void otherFailuresPassThroughAndACheckedOneIsWrappedWithItAsCause() {
    IllegalStateException other = new IllegalStateException("Failed to read checkpoint, but not Spark's error");
    assertThat(CheckpointFingerprint.unreadable("dir", other)).isSameAs(other);
    org.apache.spark.SparkException taskFailed = new org.apache.spark.SparkException("Task failed");
    RuntimeException e = CheckpointFingerprint.unreadable("dir", taskFailed);
    assertThat(e).isInstanceOf(IllegalStateException.class).isNotInstanceOf(ConfigException.class).hasCause(taskFailed);
  }

  @Test
  void aCauseChainThatLoopsEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    RuntimeException e = CheckpointFingerprint.unreadable("d", new org.apache.spark.SparkException("Failed to read checkpoint from d", a));
    assertThat(e).isInstanceOf(ConfigException.class).hasMessageContaining("cannot be read (RuntimeException: ");
  }

  @Test
  void noFingerprintYetMeansAFreshCheckpoint(@TempDir Path dir) {
    new CheckpointFingerprint(settings("count", dir.resolve("new")), new Configuration()).requireMatch();
    assertThat(CheckpointFingerprint.of(settings("count", dir))).isEqualTo(CheckpointFingerprint.of(settings("count", dir)))
        .isNotEqualTo(CheckpointFingerprint.of(settings("count, min(x)", dir)));
  }
}
