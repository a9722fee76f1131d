package io.lambdastack.speed.metrics;

import io.lambdastack.speed.state.ViewKey;
import java.util.Map;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * Measures what the views hold in Spark state, per view: keys, and entries (open buckets of a key; 1 for a
 * running total or a landmark segment). Counting scans the state, so it runs every {@link #EVERY} batches.
 */
public final class StateSize {
  static final int EVERY = 5;

  private StateSize() {}

  /** @param entries how many entries one key's state holds */
  public static <S> void track(JavaPairDStream<ViewKey, S> snapshots, String state, long batchMillis, Function<S, Integer> entries) {
    snapshots.foreachRDD((rdd, time) -> {
      if ((time.milliseconds() / batchMillis) % EVERY != 0) {
        return;
      }
      Map<String, Tuple2<Long, Long>> perView = rdd
          .mapToPair(kv -> new Tuple2<>(kv._1().view(), new Tuple2<>(1L, (long) entries.call(kv._2()))))
          .reduceByKey((a, b) -> new Tuple2<>(a._1() + b._1(), a._2() + b._2()))
          .collectAsMap();
      SpeedStatus.stateSize(state, perView);
    });
  }
}
