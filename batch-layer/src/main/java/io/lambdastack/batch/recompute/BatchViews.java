package io.lambdastack.batch.recompute;

import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import io.lambdastack.view.spark.RddViewFold;
import io.lambdastack.view.update.ViewUpdate;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Complete recomputation of every view over a set of events, with the same fold and measure classes as
 * the speed layer ({@link RddViewFold}): no second implementation of the views.
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

  /**
   * Reads a topic's events from JSON-lines files (one event per line), e.g. on {@code hdfs://}. Lines that
   * are not events are skipped; {@link #unreadable} counts them.
   */
  public static JavaPairRDD<String, Event> readJsonLines(JavaSparkContext jsc, String path, String topic) {
    return jsc.textFile(path).flatMapToPair(line -> {
      try {
        return List.of(new Tuple2<>(topic, EventJson.parse(line.getBytes(StandardCharsets.UTF_8)))).iterator();
      } catch (EventFormatException e) {
        return Collections.emptyIterator();
      }
    });
  }

  public static long unreadable(JavaSparkContext jsc, String path) {
    return jsc.textFile(path).filter(line -> {
      try {
        EventJson.parse(line.getBytes(StandardCharsets.UTF_8));
        return false;
      } catch (EventFormatException e) {
        return true;
      }
    }).count();
  }
}
