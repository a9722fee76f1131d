package io.lambdastack.speed.landmark;

import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;

/** Landmark views: each key's events of a batch, then {@link LandmarkStateFunction} over (view, key). */
public final class LandmarkViews {
  private LandmarkViews() {}

  /**
   * @param batches     each (view, key)'s events of the batch, partitioned by {@code partitioner}
   * @param readAgain   reads a key's events again from a slice of Kafka, for batches whose parts kept none
   * @param partitioner the state's partitioning: the batches' own, so no shuffle precedes the state
   * @param initial     open segments to start from (the upgrade path), or null
   */
  public static JavaMapWithStateDStream<ViewKey, LandmarkEvents, LandmarkSegment, KeyOutcome> of(
      JavaPairDStream<ViewKey, LandmarkEvents> batches, ViewFold fold, LandmarkStateFunction.ReadAgain readAgain, Partitioner partitioner,
      JavaPairRDD<ViewKey, LandmarkSegment> initial) {
    StateSpec<ViewKey, LandmarkEvents, LandmarkSegment, KeyOutcome> spec = StateSpec.function(new LandmarkStateFunction(fold, readAgain))
        .partitioner(partitioner);
    if (initial != null) {
      spec = spec.initialState(initial);
    }
    return batches.mapWithState(spec);
  }
}
