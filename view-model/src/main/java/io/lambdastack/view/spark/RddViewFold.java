package io.lambdastack.view.spark;

import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.BucketKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * The shared fold on Spark: each partition folds its events locally with {@link ViewFold} (the map-side
 * combine), then partials of the same cell are merged with the same measure code. The speed layer runs it
 * on every micro-batch, the batch layer on the master dataset: one implementation of the views.
 */
public final class RddViewFold {
  private RddViewFold() {}

  /** @param topicEvents (source topic, event) pairs */
  public static JavaPairRDD<BucketKey, Aggregate> partials(JavaPairRDD<String, Event> topicEvents, ViewFold fold) {
    return topicEvents
        .mapPartitionsToPair(events -> foldPartition(events, fold))
        .reduceByKey(fold::merge);
  }

  private static Iterator<Tuple2<BucketKey, Aggregate>> foldPartition(
      Iterator<Tuple2<String, Event>> events, ViewFold fold) {
    Map<BucketKey, Aggregate> partials = new HashMap<>();
    while (events.hasNext()) {
      Tuple2<String, Event> e = events.next();
      fold.add(partials, e._1(), e._2());
    }
    return partials.entrySet().stream().map(p -> new Tuple2<>(p.getKey(), p.getValue())).iterator();
  }
}
