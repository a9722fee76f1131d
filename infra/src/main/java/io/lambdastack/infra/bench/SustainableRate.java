package io.lambdastack.infra.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The speed layer's sustainable rate: the largest input rate at which the mean processing time of a
 * micro-batch stays under the batch interval. Above it, batches queue without bound. The mean, not the median:
 * the state checkpoints make every few batches 200-400 ms slower, so a rate whose median passes can still
 * build a queue (seen: median 910 ms, p90 1,375 ms, scheduling delay up to 1,417 ms). Backpressure is OFF and
 * {@code spark.streaming.kafka.maxRatePerPartition} fixes every batch at rate × interval records, read from a
 * pre-filled topic; each step is a fresh job (the per-partition rate is read when the stream is built) that
 * starts at the topic's beginning. The rate doubles until a step fails, then bisects between the last
 * success and the first failure; the doubling's first failure after a success is run a second time
 * ({@link #search(StepRunner, long, int, long, int)}).
 */
final class SustainableRate {
  /** One rate step: the batches after warm-up (including those the graceful stop completes), as Spark's StreamingListener reported them. */
  record Step(long rate, List<BatchTimes.Batch> measured, long intervalMs, boolean cutShort, List<StageTimes.PerBatch> stages,
      ThreadCpu.Shares cpu) {
    Step(long rate, List<BatchTimes.Batch> measured, long intervalMs, boolean cutShort, List<StageTimes.PerBatch> stages) {
      this(rate, measured, intervalMs, cutShort, stages, ThreadCpu.Shares.NONE);
    }

    Percentiles processing() {
      return Percentiles.of(measured.stream().map(BatchTimes.Batch::processingMs).toList());
    }

    /** The rate the batches actually carried (records per batch / interval): checks the throttle did its job. */
    double inputRate() {
      return Percentiles.of(measured.stream().map(BatchTimes.Batch::records).toList()).at(0.5) * 1000.0 / intervalMs;
    }

    /** Mean processing time: what decides whether batches queue. */
    double meanProcessingMs() {
      return measured.stream().mapToLong(BatchTimes.Batch::processingMs).average().orElse(Double.NaN);
    }

    /** Kept up (mean processing under the interval) at the rate set, not a lower one the topic happened to feed. */
    boolean sustained() {
      return !measured.isEmpty() && meanProcessingMs() < intervalMs && carried();
    }

    /** The batches carried at least 95 % of the rate set (uneven partitions can feed less than maxRatePerPartition x n). */
    boolean carried() {
      return inputRate() >= 0.95 * rate;
    }
  }

  /**
   * @param failedAbove the lowest rate above {@code best} that failed (its second run, for the doubling's first
   *     failure), or null when none did
   */
  record Result(List<Step> steps, Step best, Long failedAbove) {
    /** The search kept up at the highest rate the topic feeds, no rate above failing: the knee lies above, unmeasured. */
    boolean atTopicLimit() {
      return best != null && failedAbove == null;
    }
  }

  private final StepJob job;
  private final String label;
  private final int partitions;
  private final int warmup;
  private final int batches;
  private final long capRate;
  private int stepsRun;

  /**
   * @param label names the steps in the output and the runs (consumer groups, checkpoints)
   * @param capRate the highest rate the pre-filled topic can feed for a whole step
   */
  SustainableRate(StepJob job, String label, int partitions, int warmup, int batches, long capRate) {
    this.job = job;
    this.label = label;
    this.partitions = partitions;
    this.warmup = warmup;
    this.batches = batches;
    this.capRate = capRate;
  }

  Result search(long startRate, int refine) throws InterruptedException {
    return search(this::run, startRate, refine, capRate, partitions);
  }

  /** Runs the job for one step at a rate: the benchmark's Spark job, or a table of outcomes in a test. */
  @FunctionalInterface
  interface StepRunner {
    Step run(long rate) throws InterruptedException;
  }

  /**
   * Doubles the rate until a step fails, then bisects {@code refine} times between the last success and the first
   * failure. When a step fails after one kept up (the doubling's first failure), it is run a second time and that run
   * decides; if it keeps up, the doubling goes on. Why: that step is the first at a rate about twice any run before,
   * and in runs 107 and 108 it used 9-16 % more CPU a record (0.49-0.52 µs) than the refinement's steps just under it
   * (0.45), so its failure said less about the rate than about the step before it. Only that step is run again: the
   * next doubling, if there is one, and the refinement's steps are decided by one run each.
   */
  static Result search(StepRunner runner, long startRate, int refine, long capRate, int partitions) throws InterruptedException {
    List<Step> steps = new ArrayList<>();
    Step best = null;
    Long failed = null;
    boolean retried = false;
    long rate = round(Math.min(startRate, capRate), partitions);
    while (true) {
      Step s = runner.run(rate);
      steps.add(s);
      if (!s.sustained() && best != null && !retried) {
        retried = true;
        System.out.printf("%,d records/s failed as the doubling's first step above a sustained one: run again, and the second run decides%n", rate);
        s = runner.run(rate);
        steps.add(s);
      }
      if (s.sustained()) {
        best = s;
        if (failed != null || rate >= round(capRate, partitions)) break;
        rate = round(Math.min(capRate, rate * 2), partitions);
      } else {
        failed = rate;
        if (best != null || rate <= round(1, partitions)) break;
        rate = round(rate / 2, partitions);
      }
    }
    for (int i = 0; i < refine && best != null && failed != null; i++) {
      long mid = round((best.rate() + failed) / 2, partitions);
      if (mid <= best.rate() || mid >= failed) break;
      Step s = runner.run(mid);
      steps.add(s);
      if (s.sustained()) {
        best = s;
      } else {
        failed = mid;
      }
    }
    return new Result(List.copyOf(steps), best, best == null ? null : failed);
  }

  /** Rates are whole multiples of 500 records/s per partition (maxRatePerPartition is per partition). */
  private static long round(long rate, int partitions) {
    long unit = 500L * partitions;
    return Math.max(1, rate / unit) * unit;
  }

  private Step run(long rate) throws InterruptedException {
    int index = ++stepsRun;
    long perPartition = rate / partitions;
    System.out.printf("%s %d: %,d records/s (maxRatePerPartition %,d, backpressure off), %d + %d batches...%n", label, index, rate,
        perPartition, warmup, batches);
    BatchTimes times = new BatchTimes();
    long interval = job.intervalMs();
    long deadline = System.currentTimeMillis() + (warmup + batches) * interval * 2 + 20_000;
    boolean cutShort = false;
    JavaStreamingContext ssc = job.start(label.replace(' ', '-') + "-" + index, Map.of(
        "spark.streaming.backpressure.enabled", "false",
        "spark.streaming.kafka.maxRatePerPartition", Long.toString(perPartition)), times);
    StageTimes stages = new StageTimes();
    ssc.sparkContext().sc().addSparkListener(stages); // after the start: only the measured batches' stages are read
    ThreadCpu.Sample cpuBefore = null; // the JVM's threads' CPU from the warm-up's end (within the 100 ms of polling)
    long cpuSince = 0;
    ThreadCpu.Sample cpuAfter = ThreadCpu.Sample.NONE;
    long cpuUntil = 0;
    try {
      while (times.count() < warmup + batches && System.currentTimeMillis() < deadline) {
        if (cpuBefore == null && times.count() >= warmup) {
          cpuBefore = ThreadCpu.sample();
          cpuSince = System.nanoTime();
        }
        Thread.sleep(100);
        List<BatchTimes.Batch> measured = measured(times);
        // Clearly behind (median 1.5 x the interval over 4+ batches): more batches would only queue.
        if (measured.size() >= 4 && Percentiles.of(measured.stream().map(BatchTimes.Batch::processingMs).toList()).at(0.5) > 1.5 * interval) {
          cutShort = true;
          break;
        }
      }
      cpuAfter = ThreadCpu.sample(); // before the stop: a graceful stop's wait is no part of the measured batches
      cpuUntil = System.nanoTime();
    } finally {
      // Graceful, so a sustained step ends without interrupting a batch; a failing step's queue is cut off after
      // spark.streaming.gracefulStopTimeout (the job's default: 5 s).
      ssc.stop(true, true);
    }
    times.requireNoFailure();
    List<BatchTimes.Batch> measured = measured(times);
    long since = warmup == 0 ? 0 : times.completed().get(warmup - 1).endedAt(); // the warm-up's end
    ThreadCpu.Shares cpu = cpuBefore == null ? ThreadCpu.Shares.NONE
        : ThreadCpu.between(cpuBefore, cpuAfter, (cpuUntil - cpuSince) / 1_000_000);
    Step s = new Step(rate, measured, interval, cutShort, measured.isEmpty() ? List.of() : stages.perBatch(since, measured.size()), cpu);
    Percentiles p = s.processing();
    long maxScheduling = s.measured().stream().mapToLong(BatchTimes.Batch::schedulingMs).max().orElse(-1);
    System.out.printf("%s %d: %,d records/s set, %,.0f carried; %d batches: processing mean %,.0f ms, median %,d ms, p90 %,d ms, "
        + "max %,d ms; scheduling delay max %,d ms -> %s%n", label, index, rate, s.inputRate(), p.size(), s.meanProcessingMs(), p.at(0.5),
        p.at(0.9), p.max(), maxScheduling, s.sustained() ? "SUSTAINED" : !s.carried() && !s.measured().isEmpty() && s.meanProcessingMs() < s.intervalMs()
            ? "not carried: the topic fed less than the rate set" : "too fast" + (cutShort ? " (stopped early)" : ""));
    if (!s.stages().isEmpty()) {
      System.out.printf("%s %d: per batch, by stage: %s%n", label, index, StageTimes.summary(s.stages(), 3));
    }
    if (!s.cpu().isEmpty()) {
      System.out.printf("%s %d: the JVM's CPU while measured, by thread: %s%n", label, index, s.cpu().line());
    }
    return s;
  }

  private List<BatchTimes.Batch> measured(BatchTimes times) {
    List<BatchTimes.Batch> all = times.completed();
    return all.size() <= warmup ? List.of() : all.subList(warmup, all.size());
  }
}
