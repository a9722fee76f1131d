package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lambdastack.infra.bench.ThreadCpu.Kind;
import io.lambdastack.infra.bench.ThreadCpu.Sample;
import io.lambdastack.infra.bench.ThreadCpu.ThreadTicks;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void threadsAreKindedByTheirNamesAsLinuxCutsThem() {
    Map<String, Kind> names = Map.ofEntries(Map.entry("Executor task l", Kind.TASKS), Map.entry("C2 CompilerThre", Kind.JIT),
        Map.entry("C1 CompilerThre", Kind.JIT), Map.entry("GC Thread#1", Kind.GC), Map.entry("G1 Conc#0", Kind.GC),
        Map.entry("data-plane-kafk", Kind.BROKER), Map.entry("kafka-1-raft-io", Kind.BROKER), Map.entry("kafka-producer-", Kind.CLIENTS),
        Map.entry("IPC Server hand", Kind.HDFS), Map.entry("DataXceiver for", Kind.HDFS), Map.entry("JobGenerator", Kind.OTHER),
        Map.entry("executor-Fetch", Kind.BROKER), Map.entry("executor-heartb", Kind.OTHER), Map.entry("executor-metric", Kind.OTHER),
        Map.entry("FSEditLogAsync", Kind.HDFS), Map.entry("Block report pr", Kind.HDFS), Map.entry("DataStreamer fo", Kind.HDFS),
        Map.entry("main", Kind.OTHER));
    names.forEach((name, kind) -> assertThat(ThreadCpu.kind(name)).as(name).isEqualTo(kind));
  }

  @Test
  void aStatLineGivesItsThreadsKindAndUserPlusSystemTicks() {
    // A name with a space and a parenthesis: the fields after it start after the last ')'.
    String stat = "4711 (Executor task) x) S 4700 4700 1 0 -1 4194368 1200 0 0 0 700 50 0 0 20 0 1 0 9 0 0";
    assertThat(ThreadCpu.parse(stat)).isEqualTo(new ThreadTicks(Kind.TASKS, 750));
  }

  @Test
  void sharesAreEachKindsTicksOverTheSpanAndANewThreadCountsFromZero() {
    Sample before = new Sample(Map.of(1L, new ThreadTicks(Kind.TASKS, 100), 2L, new ThreadTicks(Kind.JIT, 10),
        3L, new ThreadTicks(Kind.GC, 5)), 1_000_000_000L);
    // thread 3 ended (not counted), thread 4 was born
    Sample after = new Sample(Map.of(1L, new ThreadTicks(Kind.TASKS, 250), 2L, new ThreadTicks(Kind.JIT, 20),
        4L, new ThreadTicks(Kind.BROKER, 30)), 3_100_000_000L);
    ThreadCpu.Shares shares = ThreadCpu.between(before, after, 1_000);
    assertThat(shares.processPercent()).isEqualTo(210.0); // 20 of them by threads that ended, as thread 3 did
    assertThat(shares.percentOfACore()).containsExactly(Map.entry(Kind.TASKS, 150.0), Map.entry(Kind.JIT, 10.0),
        Map.entry(Kind.BROKER, 30.0));
    int cores = Runtime.getRuntime().availableProcessors(); // the line names this machine's cores, whatever they are
    assertThat(shares.line()).isEqualTo("Spark tasks 150, JIT compiler 10, Kafka broker 30; in all 190, the whole JVM 210 (% of one core; "
        + cores + " cores: " + 100 * cores + ")");
    assertThat(ThreadCpu.between(Sample.NONE, after, 1_000).isEmpty()).isTrue();
    assertThat(ThreadCpu.between(before, after, ThreadCpu.MIN_SPAN_MS - 1).isEmpty()).as("a span too short to say anything").isTrue();
  }

  @Test
  void aSampleOfThisJvmSeesABusyThreadOfItsKind() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
    CountDownLatch spun = new CountDownLatch(1);
    CountDownLatch sampled = new CountDownLatch(1);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Thread busy = new Thread(() -> {
      long x = 0;
      while (mx.getCurrentThreadCpuTime() < 300_000_000L) { // 300 ms of its own CPU, however loaded the machine
        x += System.nanoTime() % 7;
      }
      spun.countDown();
      try {
        sampled.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (x == 42) {
        System.out.println();
      }
    }, "Executor task launch worker for test");
    Sample before = ThreadCpu.sample();
    long start = System.nanoTime();
    busy.start();
    spun.await();
    Thread.sleep(Math.max(0, ThreadCpu.MIN_SPAN_MS + 100 - (System.nanoTime() - start) / 1_000_000));
    Sample after = ThreadCpu.sample();
    long spanMs = (System.nanoTime() - start) / 1_000_000;
    sampled.countDown();
    busy.join();
    ThreadCpu.Shares shares = ThreadCpu.between(before, after, spanMs);
    double tasksMs = shares.percentOfACore().getOrDefault(Kind.TASKS, 0.0) / 100 * spanMs;
    assertThat(tasksMs).isGreaterThan(250); // its 300 ms, in 10 ms ticks
    // the JVM's total counts every thread, this one too (read a little after the threads: at most a tick or two apart)
    assertThat(shares.processPercent() / 100 * spanMs).isGreaterThan(tasksMs - 20);
  }
}
