package io.lambdastack.speed.state;

import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The speed-layer state of one (view, key): its event-time watermark (the latest event time seen for the
 * key) and the aggregates of its buckets that are still open. A bucket is open while
 * {@code bucketEnd + lateness > watermark}; events for a closed bucket are late: counted, not applied (the
 * batch layer will include them). Closed buckets leave the state, so it stays small.
 *
 * <p>Immutable: {@link #apply} returns a new state and never modifies a stored aggregate (it merges into a
 * copy), because Spark may recompute a batch from the previous state after a failure.
 *
 * <p>Why per key and not one watermark per view: the watermark must be part of the checkpointed state so
 * that a batch re-run after a crash decides lateness exactly as the first run did. A per-key event-time
 * watermark (like Kafka Streams' stream time) lives in the same {@code mapWithState} entry as the buckets
 * it governs.
 */
public final class OpenBuckets implements Serializable {
  private final long watermark;
  private final TreeMap<Long, Aggregate> open;
  /** Buckets starting at or before this are closed whatever the watermark says (see {@link #resumed}). */
  private final long sealedThrough;

  private OpenBuckets(long watermark, TreeMap<Long, Aggregate> open, long sealedThrough) {
    this.watermark = watermark;
    this.open = open;
    this.sealedThrough = sealedThrough;
  }

  public static OpenBuckets empty() {
    return new OpenBuckets(Long.MIN_VALUE, new TreeMap<>(), Long.MIN_VALUE);
  }

  /**
   * The state of a key whose open buckets were dropped (timed out) but whose history is known: its watermark,
   * and the last bucket it ever opened. Every bucket up to that one may have been published with its full
   * aggregate, and that aggregate is gone from the state: such buckets are closed (late), so a partial
   * aggregate can never overwrite a full one in the compacted topic. See {@link KeyHistory}.
   */
  public static OpenBuckets resumed(long watermark, long lastBucketStart) {
    return new OpenBuckets(watermark, new TreeMap<>(), lastBucketStart);
  }

  /** A state rebuilt from published aggregates (the upgrade path): the buckets still open at {@code watermark}. */
  public static OpenBuckets rebuilt(long watermark, Map<Long, Aggregate> open) {
    return new OpenBuckets(watermark, new TreeMap<>(open), Long.MIN_VALUE);
  }

  public long watermark() {
    return watermark;
  }

  public Map<Long, Aggregate> open() {
    return Collections.unmodifiableMap(open);
  }

  /** The outcome of one micro-batch for this key. */
  public record Outcome(OpenBuckets state, List<BucketResult> updated, long lateEvents) implements Serializable {}

  /** A bucket's full aggregate after the batch (to publish as an upsert). */
  public record BucketResult(long bucketStart, Aggregate aggregate) implements Serializable {}

  public Outcome apply(KeyBatch batch, ViewAggregator aggregator) {
    long width = aggregator.view().bucketWidthMillis();
    long lateness = aggregator.view().latenessMillis();
    TreeMap<Long, Aggregate> next = new TreeMap<>(open);
    List<BucketResult> updated = new ArrayList<>();
    long late = 0;
    long newWatermark = watermark;
    for (Map.Entry<Long, Aggregate> e : batch.buckets.entrySet()) {
      long start = e.getKey();
      Aggregate partial = e.getValue();
      newWatermark = Math.max(newWatermark, partial.maxEventTime());
      if (start <= sealedThrough || isClosed(start, width, lateness, watermark)) {
        late += partial.events();
        continue;
      }
      Aggregate current = next.get(start);
      Aggregate merged = current == null ? aggregator.copy(partial) : aggregator.merge(aggregator.copy(current), partial);
      next.put(start, merged);
      updated.add(new BucketResult(start, merged));
    }
    final long w = newWatermark;
    next.keySet().removeIf(start -> isClosed(start, width, lateness, w));
    return new Outcome(new OpenBuckets(newWatermark, next, sealedThrough), updated, late);
  }

  static boolean isClosed(long bucketStart, long width, long lateness, long watermark) {
    return io.lambdastack.view.definition.ViewDefinition.isClosed(bucketStart, width, lateness, watermark); // the shared rule
  }
}
