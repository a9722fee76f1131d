package io.lambdastack.speed.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * What a job may commit: each batch's offset ranges, from the batch's generation to the end of its outputs.
 *
 * <p>Spark runs a batch's output operations one after the other, and runs the next one even when one failed: the
 * failure only reaches {@code awaitTermination}, which stops the job a moment later. And it counts a batch as done
 * (gone from the checkpoint's pending batches, never run again on recovery) when its LAST output succeeds. So once
 * an output failed: no later commit goes through, no later batch publishes, and the job's last output (the
 * bookkeeping, {@link SpeedSinks#afterOutputs}) fails too, for that batch and every later one. The committed
 * offsets stay at the last batch whose outputs all succeeded, the speed-view topic holds nothing past it, and a
 * restart from the checkpoint runs the failed batch and the later ones again.
 *
 * <p>One ledger per consumer group, kept on the driver (static: the output functions are restored from the
 * checkpoint and may not capture it); each run of a group's job starts a new one. Needs the batches' jobs to run
 * one at a time ({@code spark.streaming.concurrentJobs} 1, checked at start).
 */
final class OutputLedger {
  private static final Map<String, OutputLedger> BY_GROUP = new ConcurrentHashMap<>();
  private final Map<Long, OffsetRange[]> pending = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> completed = new ConcurrentHashMap<>();
  private final AtomicReference<String> failure = new AtomicReference<>();

  /** The ledger of the group's running job. */
  static OutputLedger of(String group) {
    return BY_GROUP.computeIfAbsent(group, g -> new OutputLedger());
  }

  /** A new run of the group's job (fresh, recovered or upgraded): an earlier run's batches and failure are forgotten. */
  static OutputLedger start(String group) {
    OutputLedger ledger = new OutputLedger();
    BY_GROUP.put(group, ledger);
    return ledger;
  }

  synchronized void generated(long batchTime, OffsetRange[] ranges) {
    pending.put(batchTime, ranges);
  }

  /** An output of the batch failed: from now on nothing is committed or published. */
  synchronized void failed(long batchTime, Throwable error) {
    // Some errors carry no message (a bare NullPointerException): then their class names the cause, not "null".
    String cause = error.getMessage() != null ? error.getMessage() : error.toString();
    failure.compareAndSet(null, "an output of batch " + batchTime + " failed (" + cause + ")");
  }

  /** Called by every output of a batch: refuses once any output failed, so Spark keeps the batch pending. */
  void requireNoFailure(long batchTime) {
    String f = failure.get();
    if (f != null) {
      throw new IllegalStateException("batch " + batchTime + " neither published nor committed: " + f
          + "; the job is stopping, and a restart from the checkpoint runs it again");
    }
  }

  /**
   * The batch's outputs ran: its ranges, to commit, now remembered as completed; none if an output of this or an
   * earlier batch failed.
   */
  synchronized OffsetRange[] outputsDone(long batchTime) {
    OffsetRange[] ranges = pending.remove(batchTime);
    if (ranges == null || failure.get() != null) {
      return new OffsetRange[0];
    }
    for (OffsetRange r : ranges) {
      completed.merge(r.topicPartition(), r.untilOffset(), Math::max);
    }
    return ranges;
  }

  /** The end of the completed batches, per partition: what a graceful stop commits. */
  Map<TopicPartition, Long> completed() {
    return Map.copyOf(completed);
  }
}
