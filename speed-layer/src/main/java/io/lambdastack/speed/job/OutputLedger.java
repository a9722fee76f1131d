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
 * failure only reaches {@code awaitTermination}, which stops the job a moment later. So the commit that follows
 * the outputs cannot take their success for granted. Once an output failed, nothing more is committed and no
 * later batch publishes: the committed offsets stay at the last batch whose outputs all succeeded, and the
 * speed-view topic holds nothing past the failed batch.
 *
 * <p>One ledger per consumer group, kept on the driver (static: the output functions are restored from the
 * checkpoint and may not capture it); each run of a group's job starts a new one.
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

  void generated(long batchTime, OffsetRange[] ranges) {
    pending.put(batchTime, ranges);
  }

  /** An output of the batch failed: from now on nothing is committed or published. */
  void failed(long batchTime, Throwable error) {
    failure.compareAndSet(null, "an output of batch " + batchTime + " failed (" + error.getMessage() + ")");
  }

  /** Called before an output publishes: refuses once any output failed. */
  void requireNoFailure(long batchTime) {
    String f = failure.get();
    if (f != null) {
      throw new IllegalStateException("batch " + batchTime + " not published: " + f + "; the job is stopping");
    }
  }

  /**
   * The batch's outputs ran: its ranges, to commit, now remembered as completed; none if an output of this or an
   * earlier batch failed.
   */
  OffsetRange[] outputsDone(long batchTime) {
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
