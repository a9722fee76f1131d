package io.lambdastack.speed.state;

import io.lambdastack.view.aggregate.ViewFold;
import java.util.List;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.streaming.State;

/** The {@code mapWithState} function: applies a key's micro-batch to its open buckets. */
public final class BucketStateFunction implements Function3<ViewKey, Optional<KeyBatch>, State<OpenBuckets>, KeyOutcome> {
  private final ViewFold fold;

  public BucketStateFunction(ViewFold fold) {
    this.fold = fold;
  }

  @Override
  public KeyOutcome call(ViewKey key, Optional<KeyBatch> batch, State<OpenBuckets> state) {
    if (!batch.isPresent() || state.isTimingOut()) {
      return new KeyOutcome(key, List.of(), 0);
    }
    OpenBuckets current = state.exists() ? state.get() : OpenBuckets.empty();
    OpenBuckets.Outcome outcome = current.apply(batch.get(), fold.aggregator(key.view()));
    state.update(outcome.state());
    return new KeyOutcome(key, outcome.updated(), outcome.lateEvents());
  }
}
