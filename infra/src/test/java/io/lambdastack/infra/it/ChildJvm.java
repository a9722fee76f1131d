package io.lambdastack.infra.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A separate JVM on the test classpath (for kill -9 tests and command-line behaviour), its output in a file. */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(Path log, String mainClass, List<String> args) throws IOException {
    return start(log, mainClass, args, java.util.Map.of());
  }

  static ChildJvm start(Path log, String mainClass, List<String> args, java.util.Map<String, String> env) throws IOException {
    return start(log, System.getProperty("java.class.path"), mainClass, args, env);
  }

  /** On a given classpath (e.g. only what a Spark distribution holds). */
  static ChildJvm start(Path log, String classpath, String mainClass, List<String> args, java.util.Map<String, String> env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    // The same --add-opens flags this JVM got from the build (Spark on Java 17 needs them).
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect"))
        .forEach(cmd::add);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    return new ChildJvm(pb.start(), log);
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** kill -9: no shutdown hook, no graceful stop. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the exit code, or null if it did not exit in time. */
  Integer terminate(Duration within) throws InterruptedException {
    process.destroy();
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  Integer waitFor(Duration within) throws InterruptedException {
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  int exitValue() {
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }
}
