package io.lambdastack.infra.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/**
 * Where a rate step's batches spend the executors' time: every completed Spark stage of one run with its tasks' CPU
 * and run time, grouped by the stage's call site ({@code mapPartitionsToPair at MicroBatchFold.java:31} is the
 * batch's read, parse and fold; {@code foreachPartition at SpeedSinks.java:55} its states and publishing).
 *
 * <p>Why: the benchmark's steps say whether a batch keeps up, not which part of it grew. A faster per-event path
 * made one thread 1.6 times faster but the job only 5-15 % (runs 77-80): the split between stages says where the rest
 * of a batch goes, on every step, without a profiler.
 */
final class StageTimes extends SparkListener {
  /** One completed stage: its call site, when it completed (wall clock, ms) and its tasks' CPU and run time (ms). */
  record Stage(String site, long completedAt, long cpuMs, long runMs) {}

  /** A call site's time per measured batch, in milliseconds. */
  record PerBatch(String site, double cpuMs, double runMs) {}

  private final List<Stage> stages = new CopyOnWriteArrayList<>();

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    StageInfo info = event.stageInfo();
    TaskMetrics metrics = info.taskMetrics();
    if (metrics == null || info.failureReason().isDefined()) {
      return; // a failed stage is retried: its second attempt is the one that counts
    }
    long completedAt = info.completionTime().isDefined() ? (Long) info.completionTime().get() : System.currentTimeMillis();
    stages.add(new Stage(info.name(), completedAt, metrics.executorCpuTime() / 1_000_000, metrics.executorRunTime()));
  }

  /**
   * The stages that completed from {@code since} (wall clock, ms) on, per call site, divided by {@code batches}: the
   * sites with the most CPU first.
   */
  List<PerBatch> perBatch(long since, int batches) {
    Map<String, long[]> bySite = new LinkedHashMap<>();
    for (Stage s : stages) {
      if (s.completedAt() >= since) {
        long[] sums = bySite.computeIfAbsent(s.site(), k -> new long[2]);
        sums[0] += s.cpuMs();
        sums[1] += s.runMs();
      }
    }
    List<PerBatch> out = new ArrayList<>();
    bySite.forEach((site, sums) -> out.add(new PerBatch(site, (double) sums[0] / batches, (double) sums[1] / batches)));
    out.sort((a, b) -> Double.compare(b.cpuMs(), a.cpuMs()));
    return out;
  }

  /** The {@code top} sites as one line: "read, parse and fold ... 930 ms CPU (run 1,250 ms), ...". */
  static String summary(List<PerBatch> perBatch, int top) {
    StringBuilder line = new StringBuilder();
    for (PerBatch p : perBatch.subList(0, Math.min(top, perBatch.size()))) {
      line.append(line.length() == 0 ? "" : "; ").append(String.format("%s %,.0f ms CPU (tasks ran %,.0f ms)", p.site(), p.cpuMs(), p.runMs()));
    }
    return line.toString();
  }
}
