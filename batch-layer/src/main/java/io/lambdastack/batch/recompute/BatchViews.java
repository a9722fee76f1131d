package io.lambdastack.batch.recompute;

import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.spark.RddViewFold;
import io.lambdastack.view.update.ViewUpdate;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

/**
 * Every view over a set of events with the speed layer's RDD fold ({@link RddViewFold}): the reference the
 * ITs compare layers with. The recompute itself folds inside Spark SQL ({@link CellAggregator}) with the same
 * measure classes.
 */
public final class BatchViews {
  private BatchViews() {}

  /** Every (view, key, bucket) of the events as a full aggregate, marked as coming from the batch layer. */
  public static JavaRDD<ViewUpdate> compute(JavaPairRDD<String, Event> topicEvents, ViewFold fold, long computedAt) {
    return RddViewFold.partials(topicEvents, fold).map(cell -> {
      ViewAggregator aggregator = fold.aggregator(cell._1().view());
      long start = cell._1().bucketStart();
      return new ViewUpdate(cell._1().view(), cell._1().key(), start, start + aggregator.view().bucketWidthMillis(),
          cell._2().events(), aggregator.results(cell._2()), aggregator.encode(cell._2()), "batch", computedAt);
    });
  }
}
