package io.lambdastack.speed.state;

import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.spark.RddViewFold;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * Event-time bucket views on a stream of (topic, event): the shared fold per batch ({@link RddViewFold}),
 * then two {@code mapWithState}s over (view, key): the key's history (never times out) and its open buckets
 * (time out when idle; see {@link BucketStateFunction} for why this pair is safe).
 */
public final class BucketViews {
  private BucketViews() {}

  /** The open buckets' state stream (its mapped values are the outcomes; its snapshots, the state). */
  public record Streams(JavaMapWithStateDStream<ViewKey, KeyBatch, KeyHistory, Tuple2<ViewKey, KeyBatch>> history,
      JavaMapWithStateDStream<ViewKey, KeyBatch, OpenBuckets, KeyOutcome> buckets) {}

  /** @param initial the state to start from (the upgrade path), or null for none */
  public static Streams of(JavaPairDStream<String, Event> events, ViewFold fold, InitialBuckets initial) {
    JavaPairDStream<ViewKey, KeyBatch> keyBatches = events.transformToPair(rdd -> keyBatches(rdd, fold));
    StateSpec<ViewKey, KeyBatch, KeyHistory, Tuple2<ViewKey, KeyBatch>> historySpec = StateSpec.function(new HistoryStateFunction());
    StateSpec<ViewKey, KeyBatch, OpenBuckets, KeyOutcome> bucketSpec = StateSpec.function(new BucketStateFunction(fold))
        .timeout(Durations.milliseconds(BucketStateFunction.timeout(fold.catalog()).toMillis()));
    if (initial != null) {
      historySpec = historySpec.initialState(initial.history());
      bucketSpec = bucketSpec.initialState(initial.buckets());
    }
    var history = keyBatches.mapWithState(historySpec);
    var buckets = history.mapToPair(t -> t).mapWithState(bucketSpec);
    return new Streams(history, buckets);
  }

  /** Initial states rebuilt from the speed-view topic. */
  public record InitialBuckets(JavaPairRDD<ViewKey, KeyHistory> history, JavaPairRDD<ViewKey, OpenBuckets> buckets) {}

  static JavaPairRDD<ViewKey, KeyBatch> keyBatches(JavaPairRDD<String, Event> events, ViewFold fold) {
    return RddViewFold.partials(events, fold)
        .mapToPair(cell -> new Tuple2<>(new ViewKey(cell._1().view(), cell._1().key()),
            KeyBatch.of(cell._1().bucketStart(), cell._2())))
        .reduceByKey((a, b) -> KeyBatch.merge(a, b, fold));
  }
}
