package io.lambdastack.speed.fold;

import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.speed.input.TaskInput;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * A micro-batch's events as one partial per (view, key), for every view kind, placed by the partitioner that
 * every view's state shares: each partition folds its events in one pass ({@link PartitionFold}), the
 * partials cross a single shuffle, and each key's partials are merged. The states downstream (mapWithState,
 * updateStateByKey, reduceByKeyAndWindow) use the same partitioner, so none of them shuffles again.
 *
 * <p>The shuffle has no map-side combine (the fold already combined each partition), so Spark writes it
 * directly per partition, without sorting or sizing maps of aggregates.
 */
public final class MicroBatchFold {
  private MicroBatchFold() {}

  /** @param events (source topic, event) pairs */
  public static JavaPairRDD<ViewKey, KeyPartial> of(JavaPairRDD<String, Event> events, ViewFold fold, Partitioner partitioner) {
    return events
        .mapPartitionsToPair(p -> foldPartition(p, fold).iterator())
        .partitionBy(partitioner)
        .mapPartitionsToPair(p -> merge(p, fold), true);
  }

  /**
   * What one task does with its share of a micro-batch, before the shuffle: every view folds the events into one
   * partial per (view, key). Public so the speed benchmark can time it on its own, outside Spark.
   *
   * @param events (source topic, event) pairs
   */
  public static List<Tuple2<ViewKey, KeyPartial>> foldPartition(Iterator<Tuple2<String, Event>> events, ViewFold fold) {
    return foldPartition(events, fold, TaskInput.slice());
  }

  /**
   * The fold of a task whose events can (slice) or cannot (null) be read again: landmark views then keep none of them or
   * all. Public so the speed benchmark times the fold as the job's Kafka tasks do it.
   */
  public static List<Tuple2<ViewKey, KeyPartial>> foldPartition(Iterator<Tuple2<String, Event>> events, ViewFold fold, KafkaSlice slice) {
    PartitionFold partition = new PartitionFold(fold, slice);
    partition.addAll(events);
    return partition.partials();
  }

  private static Iterator<Tuple2<ViewKey, KeyPartial>> merge(Iterator<Tuple2<ViewKey, KeyPartial>> partials, ViewFold fold) {
    Map<ViewKey, KeyPartial> merged = new HashMap<>();
    while (partials.hasNext()) {
      Tuple2<ViewKey, KeyPartial> p = partials.next();
      merged.merge(p._1(), p._2(), (a, b) -> KeyPartial.merge(a, b, fold));
    }
    return merged.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
  }
}
