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
  void noFingerprintYetMeansAFreshCheckpoint(@TempDir Path dir) {
    new CheckpointFingerprint(settings("count", dir.resolve("new")), new Configuration()).requireMatch();
    assertThat(CheckpointFingerprint.of(settings("count", dir))).isEqualTo(CheckpointFingerprint.of(settings("count", dir)))
        .isNotEqualTo(CheckpointFingerprint.of(settings("count, min(x)", dir)));
  }
}
