package io.lambdastack.infra.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

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

  /**
   * Deletes what it can and goes on past what it cannot: on Ctrl-C, Spark's and Hadoop's own shutdown hooks delete
   * and write inside this directory at the same time, so a file may vanish under the walk. A second pass takes what
   * the first could not; anything still there is named.
   */
  private void delete() {
    for (int pass = 1; pass <= 2 && Files.exists(path); pass++) {
      try {
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            file.toFile().delete();
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // gone already, or unreadable: the second pass or the report
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            dir.toFile().delete();
            return FileVisitResult.CONTINUE;
          }
        });
      } catch (IOException e) {
        // the walk itself could not start: the report below says so
      }
    }
    if (Files.exists(path)) {
      System.err.println("could not delete all of " + path + " (the benchmark's scratch directory): remove it by hand");
    }
  }
}
