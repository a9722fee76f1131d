package io.lambdastack.speed.state;

import io.lambdastack.view.aggregate.ViewFold;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * Event-time bucket views on each (view, key)'s batch of partial aggregates: two {@code mapWithState}s over
 * (view, key), the key's history (never times out) and its open buckets (time out when idle; see
 * {@link BucketStateFunction} for why this pair is safe). Both states are partitioned like the batches, so
 * neither shuffles.
 */
public final class BucketViews {
  private BucketViews() {}

  /** The open buckets' state stream (its mapped values are the outcomes; its snapshots, the state). */
  public record Streams(JavaMapWithStateDStream<ViewKey, KeyBatch, KeyHistory, Tuple2<ViewKey, KeyBatch>> history,
      JavaMapWithStateDStream<ViewKey, KeyBatch, OpenBuckets, KeyOutcome> buckets) {}

  /**
   * @param keyBatches  each (view, key)'s buckets of the batch, partitioned by {@code partitioner}
   * @param initial     the state to start from (the upgrade path), or null for none
   */
  public static Streams of(JavaPairDStream<ViewKey, KeyBatch> keyBatches, ViewFold fold, Partitioner partitioner,
      InitialBuckets initial) {
    StateSpec<ViewKey, KeyBatch, KeyHistory, Tuple2<ViewKey, KeyBatch>> historySpec = StateSpec.function(new HistoryStateFunction())
        .partitioner(partitioner);
    StateSpec<ViewKey, KeyBatch, OpenBuckets, KeyOutcome> bucketSpec = StateSpec.function(new BucketStateFunction(fold))
        .partitioner(partitioner)
        .timeout(Durations.milliseconds(BucketStateFunction.timeout(fold.catalog()).toMillis()));
    if (initial != null) {
      historySpec = historySpec.initialState(initial.history());
      bucketSpec = bucketSpec.initialState(initial.buckets());
    }
    var history = keyBatches.mapWithState(historySpec);
    // The history function returns each pair under its own key: still placed by the partitioner.
    var buckets = history.transformToPair(rdd -> KnownPartitioning.of(rdd, partitioner)).mapWithState(bucketSpec);
    return new Streams(history, buckets);
  }

  /** Initial states rebuilt from the speed-view topic. */
  public record InitialBuckets(JavaPairRDD<ViewKey, KeyHistory> history, JavaPairRDD<ViewKey, OpenBuckets> buckets) {}
}
