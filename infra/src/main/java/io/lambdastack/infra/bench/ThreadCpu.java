package io.lambdastack.infra.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the benchmark JVM's CPU goes while a step's batches are measured, by kind of thread: Spark's tasks, the JIT
 * compiler, the garbage collector, the embedded Kafka broker and HDFS, the Kafka clients' own threads (producers), and
 * the rest (Spark's driver, this benchmark). Read from {@code /proc/self/task} (Linux; elsewhere nothing is shown): the
 * JIT's and the collector's threads are no Java threads, so no JMX bean sees them.
 *
 * <p>Why: the benchmark runs the broker, HDFS and the job in one JVM on two cores. At the knee the tasks' own CPU a record
 * ({@link CpuBudget}) stays under the budget; what the tasks do not get of the two cores goes to these threads, and this
 * line says how much to each. The kinds come from the threads' names, which Linux cuts to 15 characters; a thread that
 * ends before the step does is not counted (the tasks' threads live as long as the step's Spark context).
 */
final class ThreadCpu {
  /** Linux's clock ticks a second for a task's {@code utime} and {@code stime} (USER_HZ: 100 on every common build). */
  private static final int TICKS_PER_SECOND = 100;
  private static final Path TASKS = Path.of("/proc/self/task");
  /** Shorter spans say little: a clock tick is 10 ms, a tenth of a core over 100 ms. */
  static final long MIN_SPAN_MS = 1_000;

  enum Kind {
    TASKS("Spark tasks"), JIT("JIT compiler"), GC("GC"), BROKER("Kafka broker"), HDFS("HDFS"), CLIENTS("Kafka clients"), OTHER("the rest");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** A thread's kind and CPU ticks so far. */
  record ThreadTicks(Kind kind, long ticks) {}

  /**
   * Every live thread's kind and ticks, by thread id, and the whole process's CPU in nanoseconds (which keeps that of
   * threads that ended); empty where {@code /proc} is not there.
   */
  record Sample(Map<Long, ThreadTicks> threads, long processNanos) {
    static final Sample NONE = new Sample(Map.of(), 0);
  }

  /**
   * CPU per kind over a wall-clock span, as percent of one core, and the whole JVM's: the difference is threads that
   * ended within the span (an HDFS writer's, a Spark job's), whose kind is not known.
   */
  record Shares(Map<Kind, Double> percentOfACore, double processPercent) {
    static final Shares NONE = new Shares(Map.of(), 0);

    boolean isEmpty() {
      return percentOfACore.isEmpty();
    }

    /** e.g. {@code Spark tasks 154, JIT compiler 8, ...; in all 180, the whole JVM 182 (% of one core; 2 cores: 200)}. */
    String line() {
      String kinds = percentOfACore.entrySet().stream()
          .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey().label, e.getValue())).collect(Collectors.joining(", "));
      double all = percentOfACore.values().stream().mapToDouble(Double::doubleValue).sum();
      int cores = Runtime.getRuntime().availableProcessors();
      return String.format(Locale.ROOT, "%s; in all %.0f, the whole JVM %.0f (%% of one core; %d cores: %d)", kinds, all, processPercent,
          cores, 100 * cores);
    }
  }

  private ThreadCpu() {}

  static Sample sample() {
    Map<Long, ThreadTicks> threads = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          ThreadTicks t = parse(Files.readString(task.resolve("stat")));
          threads.put(Long.parseLong(task.getFileName().toString()), t);
        } catch (IOException | RuntimeException e) {
          // the thread ended while the directory was read: not counted
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      return Sample.NONE; // no /proc: not Linux
    }
    return new Sample(Map.copyOf(threads), processCpuNanos());
  }

  /** The whole JVM's CPU so far, every thread's, ended or not. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * A {@code /proc/<pid>/task/<tid>/stat} line: {@code tid (name) state ...}, user and system ticks its 14th and 15th
   * fields. The name may hold spaces and parentheses: the fields after it start after the last ')'.
   */
  static ThreadTicks parse(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    String[] fields = stat.substring(close + 2).trim().split(" ");
    return new ThreadTicks(kind(stat.substring(open + 1, close)), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
  }

  /** A thread's kind from its name (at most 15 characters, as Linux keeps it). */
  static Kind kind(String name) {
    if (name.startsWith("Executor task")) {
      return Kind.TASKS;
    }
    if (name.contains("CompilerThre")) {
      return Kind.JIT;
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return Kind.GC;
    }
    if (startsWithAny(name, List.of("kafka-producer-", "kafka-coordinat", "kafka-admin-cli"))) {
      return Kind.CLIENTS;
    }
    if (startsWithAny(name, List.of("data-plane-kafk", "kafka-", "quorum-controll", "ExpirationReape", "broker-", "controller-",
        "LogDirFailureHa", "raft-", "metrics-meter-t",
        // the purgatories' executors; Spark has executor-heartbeater, executor-metrics-poller and the like
        "executor-Fetch", "executor-Produc", "executor-Heartb", "executor-Rebala", "executor-Delete", "executor-Elect", "executor-Remote"))) {
      return Kind.BROKER;
    }
    if (startsWithAny(name, List.of("IPC ", "DataXceiver", "PacketResponder", "BP-", "org.apache.hado", "DataNode", "ibr-executor",
        "FSImage", "FSEditLogAsync", "Block report pr", "Command process", "DataStreamer fo", "ResponseProcess", "Async disk",
        "CacheReplicatio", "RedundancyMoni", "LeaseMonitor"))) {
      return Kind.HDFS;
    }
    return Kind.OTHER;
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    return prefixes.stream().anyMatch(name::startsWith);
  }

  /**
   * Each kind's CPU from {@code before} to {@code after} over {@code wallMs}, as percent of one core, in the kinds'
   * order; kinds under half a percent are left out. A thread born in between counts from zero.
   */
  static Shares between(Sample before, Sample after, long wallMs) {
    if (before.threads().isEmpty() || after.threads().isEmpty() || wallMs < MIN_SPAN_MS) {
      return Shares.NONE;
    }
    Map<Kind, Long> ticks = new EnumMap<>(Kind.class);
    after.threads().forEach((tid, t) -> {
      ThreadTicks was = before.threads().get(tid);
      long used = t.ticks() - (was == null ? 0 : was.ticks());
      ticks.merge(t.kind(), Math.max(0, used), Long::sum);
    });
    Map<Kind, Double> percent = new EnumMap<>(Kind.class);
    ticks.forEach((kind, n) -> {
      double p = percent(n, wallMs);
      if (p >= 0.5) {
        percent.put(kind, p);
      }
    });
    return new Shares(percent, Math.max(0, after.processNanos() - before.processNanos()) / 1e6 / wallMs * 100);
  }

  private static double percent(long ticks, long wallMs) {
    return ticks * 1000.0 / TICKS_PER_SECOND / wallMs * 100;
  }
}
