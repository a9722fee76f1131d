package io.lambdastack.infra.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

/**
 * Spark Streaming's own numbers for every completed micro-batch of one run (the same source as the speed
 * layer's metrics, {@code BatchListener}), kept whole: the benchmark needs the distribution, not the last value.
 */
final class BatchTimes implements StreamingListener {
  /** One completed micro-batch: its input records, how long Spark took to process it and when it ended (wall clock, ms; -1 unknown). */
  record Batch(long time, long records, long processingMs, long schedulingMs, long endedAt) {
    Batch(long time, long records, long processingMs, long schedulingMs) {
      this(time, records, processingMs, schedulingMs, -1);
    }
  }

  private final List<Batch> completed = new CopyOnWriteArrayList<>();
  private volatile String firstFailure;

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted event) {
    BatchInfo info = event.batchInfo();
    // A batch whose output failed still completes (Spark logs the error and goes on): its time measures nothing.
    info.outputOperationInfos().values().foreach(op -> {
      if (op.failureReason().isDefined() && firstFailure == null) {
        firstFailure = "batch " + info.batchTime().milliseconds() + ", output " + op.id() + " (" + op.description() + "): "
            + op.failureReason().get().lines().findFirst().orElse("");
      }
      return null;
    });
    completed.add(new Batch(info.batchTime().milliseconds(), info.numRecords(), millis(info.processingDelay()),
        millis(info.schedulingDelay()), millis(info.processingEndTime())));
  }

  /** @throws IllegalStateException naming the first failed output, if any batch had one: a benchmark of a failing job is void */
  void requireNoFailure() {
    if (firstFailure != null) {
      throw new IllegalStateException("a micro-batch failed, so the benchmark stops: " + firstFailure);
    }
  }

  private static long millis(scala.Option<Object> delay) {
    return delay.isDefined() ? (Long) delay.get() : -1;
  }

  List<Batch> completed() {
    return List.copyOf(completed);
  }

  int count() {
    return completed.size();
  }
}
