package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchDirTest {
  @Test
  void closingDeletesTheDirectoryWithEverythingInIt() throws Exception {
    Path path;
    try (BenchDir dir = BenchDir.create("bench-dir-test-")) {
      path = dir.path();
      Files.createDirectories(path.resolve("kafka/logs"));
      Files.writeString(path.resolve("kafka/logs/segment"), "records");
      Files.writeString(path.resolve("top"), "x");
      assertThat(path).isDirectory();
    }
    assertThat(path).doesNotExist();
  }
}
