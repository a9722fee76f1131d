package io.lambdastack.speed.running;

import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.update.ViewUpdate;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.Optional;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;

/**
 * Running views: a total per key since the key was first seen, kept with {@code updateStateByKey} (the
 * course's operator: it visits every key on every batch, which is why the bucket views use mapWithState).
 * Each batch's events are folded per key with the shared measures ({@code MicroBatchFold}), then merged into the total. Published as one
 * upsert per key, keyed (view, key, 0), spanning {@code [0, latest event time + 1)}. Every event counts (no
 * lateness: a total has no bucket to close).
 */
public final class RunningViews {
  private RunningViews() {}

  /**
   * @param partials    each (view, key)'s fold of the batch, partitioned by {@code partitioner}
   * @param partitioner the totals' partitioning: the partials' own, so the update joins them without a shuffle
   * @param initial     totals to start from (the upgrade path), or null
   */
  public static JavaPairDStream<ViewKey, RunningTotal> totals(JavaPairDStream<ViewKey, Aggregate> partials, ViewFold fold,
      Partitioner partitioner, JavaPairRDD<ViewKey, RunningTotal> initial) {
    org.apache.spark.api.java.function.Function2<List<Aggregate>, Optional<RunningTotal>, Optional<RunningTotal>> update =
        (batch, state) -> Optional.of(apply(batch, state.orNull(), fold));
    return initial == null ? partials.updateStateByKey(update, partitioner)
        : partials.updateStateByKey(update, partitioner, initial);
  }

  public static JavaDStream<KeyOutcome> outcomes(JavaPairDStream<ViewKey, RunningTotal> totals, ViewFold fold) {
    return totals.filter(t -> t._2().changed()).map(t -> outcome(t._1(), t._2().total(), fold.aggregator(t._1().view())));
  }

  static RunningTotal apply(List<Aggregate> batch, RunningTotal state, ViewFold fold) {
    if (batch.isEmpty()) {
      return state.changed() ? new RunningTotal(state.total(), false) : state;
    }
    Aggregate total = state == null ? null : fold.aggregator(state.total().view()).copy(state.total());
    for (Aggregate partial : batch) {
      total = total == null ? fold.aggregator(partial.view()).copy(partial) : fold.merge(total, partial);
    }
    return new RunningTotal(total, true);
  }

  static KeyOutcome outcome(ViewKey key, Aggregate total, ViewAggregator aggregator) {
    ViewUpdate u = new ViewUpdate(key.view(), key.key(), 0, total.maxEventTime() + 1, total.events(),
        aggregator.results(total), aggregator.encode(total), "speed", 0);
    return new KeyOutcome(key, List.of(u), 0);
  }
}
