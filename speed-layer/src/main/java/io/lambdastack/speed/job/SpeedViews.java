package io.lambdastack.speed.job;

import io.lambdastack.speed.fold.KeyPartial;
import io.lambdastack.speed.fold.MicroBatchFold;
import io.lambdastack.speed.fold.SliceRefold;
import io.lambdastack.speed.landmark.LandmarkSegment;
import io.lambdastack.speed.landmark.LandmarkViews;
import io.lambdastack.speed.metrics.StateSize;
import io.lambdastack.speed.running.RunningTotal;
import io.lambdastack.speed.running.RunningViews;
import io.lambdastack.speed.sliding.SlidingViews;
import io.lambdastack.speed.state.BucketViews;
import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewKind;
import io.lambdastack.view.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;

/**
 * Every view kind of the view file on one stream of (topic, event), whatever the input: buckets
 * (mapWithState), running totals (updateStateByKey), landmark segments (mapWithState), sliding windows
 * (reduceByKeyAndWindow). Each micro-batch is read once and folded into one partial per (view, key)
 * ({@link MicroBatchFold}); each kind takes its own partials from that one cached result, and every state is
 * partitioned as it is, so a batch shuffles once. Also tracks the size of each state for the metrics.
 */
public final class SpeedViews {
  private SpeedViews() {}

  /**
   * @param perBatch outcomes produced on every batch (buckets, running, landmark), one stream
   * @param windows  one stream per sliding view: they emit once per slide, and streams of different slides
   *                 cannot be unioned
   * @param metrics  registers the state-size metrics' output operations, to run after the sinks are attached
   *                 (Spark runs output operations in the order they were registered)
   * @param partitions how many partitions every state has (their shared partitioner's)
   */
  public record Outputs(JavaDStream<KeyOutcome> perBatch, List<JavaDStream<KeyOutcome>> windows, List<Runnable> metrics,
      int partitions) {}

  /** State to start from instead of empty (the upgrade path); any part may be null. */
  public record Initial(BucketViews.InitialBuckets buckets, JavaPairRDD<ViewKey, RunningTotal> running,
      JavaPairRDD<ViewKey, LandmarkSegment> landmarks) {}

  public static Outputs of(JavaPairDStream<String, Event> events, ViewFold fold, Duration batchInterval, Initial initial) {
    long interval = batchInterval.toMillis();
    Partitioner partitioner = new HashPartitioner(events.context().sparkContext().defaultParallelism());
    // Deserialized: the partials are few (one per key), and landmark events are bytes, cheap for Spark to size.
    JavaPairDStream<ViewKey, KeyPartial> partials = events.transformToPair(rdd -> MicroBatchFold.of(rdd, fold, partitioner))
        .persist(StorageLevel.MEMORY_ONLY());

    BucketViews.Streams buckets = BucketViews.of(
        partials.filter(p -> p._2() instanceof KeyPartial.Buckets).mapValues(p -> ((KeyPartial.Buckets) p).batch()),
        fold, partitioner, initial == null ? null : initial.buckets());
    buckets.buckets().checkpoint(StateCheckpoints.BUCKETS.interval(interval));
    buckets.history().checkpoint(StateCheckpoints.HISTORY.interval(interval));
    List<Runnable> metrics = new ArrayList<>();
    metrics.add(() -> StateSize.track(buckets.buckets().stateSnapshots(), "buckets", interval, 1, s -> s.open().size()));
    metrics.add(() -> StateSize.track(buckets.history().stateSnapshots(), "history", interval, 2, s -> 1));
    JavaDStream<KeyOutcome> perBatch = buckets.buckets();
    if (!fold.catalog().ofKind(ViewKind.RUNNING).isEmpty()) {
      JavaPairDStream<ViewKey, RunningTotal> totals = RunningViews.totals(
          partials.filter(p -> p._2() instanceof KeyPartial.Total).mapValues(p -> ((KeyPartial.Total) p).partial()),
          fold, partitioner, initial == null ? null : initial.running());
      totals.checkpoint(StateCheckpoints.RUNNING.interval(interval));
      metrics.add(() -> StateSize.track(totals, "running", interval, 3, s -> 1));
      perBatch = perBatch.union(RunningViews.outcomes(totals, fold));
    }
    if (!fold.catalog().ofKind(ViewKind.LANDMARK).isEmpty()) {
      var landmarks = LandmarkViews.of(
          partials.filter(p -> p._2() instanceof KeyPartial.Landmark).mapValues(p -> ((KeyPartial.Landmark) p).events()),
          fold, new SliceRefold(fold), partitioner, initial == null ? null : initial.landmarks());
      landmarks.checkpoint(StateCheckpoints.LANDMARK.interval(interval));
      metrics.add(() -> StateSize.track(landmarks.stateSnapshots(), "landmark", interval, 4, s -> 1));
      perBatch = perBatch.union(landmarks);
    }
    List<JavaDStream<KeyOutcome>> windows = new ArrayList<>();
    for (ViewDefinition view : fold.catalog().ofKind(ViewKind.SLIDING)) {
      String name = view.name();
      windows.add(SlidingViews.of(
          partials.filter(p -> p._1().view().equals(name)).mapValues(p -> ((KeyPartial.Window) p).sums()), view, partitioner));
    }
    return new Outputs(perBatch, windows, metrics, partitioner.numPartitions());
  }
}
