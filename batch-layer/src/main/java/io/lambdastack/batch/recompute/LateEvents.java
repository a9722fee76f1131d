package io.lambdastack.batch.recompute;

import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * Counts, per view, the events the speed layer refuses as late and only the batch layer includes (the Lambda
 * correction). The speed layer's rule: per (view, key), an event is late when its bucket ended at least
 * {@code lateness} before the newest event time seen earlier for that key. Here "earlier" is arrival order:
 * Kafka timestamp, then partition and offset. (The speed layer applies the rule per micro-batch, so an event
 * whose key advanced within the same batch is not late there; the count is the per-event reading of the rule.)
 */
public final class LateEvents {
  private LateEvents() {}

  /** An event's arrival: (kafka timestamp, partition, offset) and its event time. */
  public record Arrival(long kafkaTimestamp, int partition, long offset, long eventTime) implements Serializable {}

  /** @param arrivals (topic, arrival, event) of the master dataset */
  public static Map<String, Long> count(JavaPairRDD<String, Tuple2<Arrival, Event>> arrivals, ViewCatalog catalog) {
    return new TreeMap<>(arrivals
        .flatMapToPair(a -> {
          List<Tuple2<Tuple2<String, String>, Arrival>> keyed = new ArrayList<>(2);
          for (ViewDefinition view : catalog.readingFrom(a._1())) {
            String key = view.keyOf(a._2()._2());
            if (key != null) {
              keyed.add(new Tuple2<>(new Tuple2<>(view.name(), key), a._2()._1()));
            }
          }
          return keyed.iterator();
        })
        .groupByKey()
        .mapToPair(g -> new Tuple2<>(g._1()._1(), lateIn(g._2(), catalog.view(g._1()._1()).orElseThrow())))
        .reduceByKey(Long::sum)
        .collectAsMap());
  }

  static long lateIn(Iterable<Arrival> arrivals, ViewDefinition view) {
    List<Arrival> ordered = new ArrayList<>();
    arrivals.forEach(ordered::add);
    ordered.sort(Comparator.comparingLong(Arrival::kafkaTimestamp).thenComparingInt(Arrival::partition)
        .thenComparingLong(Arrival::offset));
    long watermark = Long.MIN_VALUE;
    long late = 0;
    for (Arrival a : ordered) {
      if (watermark != Long.MIN_VALUE && view.bucketStart(a.eventTime()) + view.bucketWidthMillis() + view.latenessMillis() <= watermark) {
        late++;
      }
      watermark = Math.max(watermark, a.eventTime());
    }
    return late;
  }
}
