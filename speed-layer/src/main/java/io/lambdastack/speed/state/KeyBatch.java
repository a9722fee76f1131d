package io.lambdastack.speed.state;

import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one micro-batch brings to one (view, key): a partial aggregate per bucket. Combined per key before
 * the state function runs, so the state sees the whole batch at once and lateness is judged against the
 * watermark as it stood before the batch, whatever the order inside it.
 */
public final class KeyBatch implements Serializable {
  final TreeMap<Long, Aggregate> buckets = new TreeMap<>();
  /** The key's history before this batch (null: the key was never seen); set by {@link HistoryStateFunction}. */
  private KeyHistory history;

  public static KeyBatch of(long bucketStart, Aggregate partial) {
    KeyBatch b = new KeyBatch();
    b.buckets.put(bucketStart, partial);
    return b;
  }

  /** The partial of the bucket starting at {@code bucketStart}, a new zero one if the batch had none (to be added to). */
  public Aggregate bucket(long bucketStart, ViewAggregator aggregator) {
    return buckets.computeIfAbsent(bucketStart, s -> aggregator.zero());
  }

  /** Combines two batches of the same key (the first is modified). */
  public static KeyBatch merge(KeyBatch a, KeyBatch b, ViewFold fold) {
    b.buckets.forEach((start, partial) -> a.buckets.merge(start, partial, fold::merge));
    return a;
  }

  /** The same buckets with the key's history attached (a new object: Spark may re-run the stage that made this one). */
  public KeyBatch withHistory(KeyHistory before) {
    KeyBatch b = new KeyBatch();
    b.buckets.putAll(buckets);
    b.history = before;
    return b;
  }

  public KeyHistory history() {
    return history;
  }

  public Map<Long, Aggregate> buckets() {
    return java.util.Collections.unmodifiableMap(buckets);
  }
}
