package io.lambdastack.speed.metrics;

import io.lambdastack.speed.state.ViewKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * Measures what the views hold in Spark state, per view: keys, and entries (open buckets of a key; 1 for a
 * running total or a landmark segment). Counting scans the state, so each state is measured every
 * {@link #EVERY} batches, each state on its own batch ({@code phase}), so that no batch pays for all of them;
 * and in one stage: each partition counts its own views, the driver adds the few counts up (no shuffle).
 */
public final class StateSize {
  static final int EVERY = 5;

  private StateSize() {}

  /**
   * @param phase   which batch of every {@link #EVERY} measures this state (batch time / interval, mod EVERY)
   * @param entries how many entries one key's state holds
   */
  public static <S> void track(JavaPairDStream<ViewKey, S> snapshots, String state, long batchMillis, int phase,
      Function<S, Integer> entries) {
    snapshots.foreachRDD((rdd, time) -> {
      if (!measuredOn(time.milliseconds(), batchMillis, phase)) {
        return;
      }
      List<Map<String, long[]>> perPartition = rdd.mapPartitions(pairs -> {
        Map<String, long[]> counts = new HashMap<>();
        while (pairs.hasNext()) {
          Tuple2<ViewKey, S> kv = pairs.next();
          long[] c = counts.computeIfAbsent(kv._1().view(), v -> new long[2]);
          c[0]++;
          c[1] += entries.call(kv._2());
        }
        return List.of(counts).iterator();
      }).collect();
      SpeedStatus.stateSize(state, sum(perPartition));
    });
  }

  /** Whether the batch at {@code batchTime} measures the state of this {@code phase}. */
  static boolean measuredOn(long batchTime, long batchMillis, int phase) {
    return (batchTime / batchMillis) % EVERY == Math.floorMod(phase, EVERY);
  }

  /** Each view's (keys, entries), added up over the partitions' own counts. */
  static Map<String, Tuple2<Long, Long>> sum(List<Map<String, long[]>> perPartition) {
    Map<String, long[]> total = new HashMap<>();
    for (Map<String, long[]> counts : perPartition) {
      counts.forEach((view, c) -> {
        long[] t = total.computeIfAbsent(view, v -> new long[2]);
        t[0] += c[0];
        t[1] += c[1];
      });
    }
    Map<String, Tuple2<Long, Long>> out = new HashMap<>();
    total.forEach((view, t) -> out.put(view, new Tuple2<>(t[0], t[1])));
    return out;
  }
}
