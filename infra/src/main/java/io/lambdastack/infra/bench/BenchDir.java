package io.lambdastack.infra.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's scratch directory (its broker's logs, its HDFS blocks: gigabytes), deleted when the benchmark ends,
 * whether it returns, fails or is stopped with Ctrl-C or SIGTERM. Declare it first in try-with-resources, so it is
 * closed after the platform that writes into it.
 */
final class BenchDir implements AutoCloseable {
  private final Path path;
  private final Thread onExit;

  private BenchDir(Path path) {
    this.path = path;
    this.onExit = new Thread(this::delete, "bench-dir-cleanup");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  static BenchDir create(String prefix) throws IOException {
    return new BenchDir(Files.createTempDirectory(prefix));
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    delete();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
  }

  private void delete() {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete " + path + ": " + e.getMessage());
    }
  }
}
