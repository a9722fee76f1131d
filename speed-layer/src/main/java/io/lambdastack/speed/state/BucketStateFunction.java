package io.lambdastack.speed.state;

import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.update.ViewUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.streaming.State;

/**
 * The {@code mapWithState} function of bucket views: applies a key's micro-batch to its open buckets.
 *
 * <p><b>Timeout.</b> The open buckets of a key that stays idle for {@link #timeout} (processing time; the
 * largest bucket width + lateness of the views, i.e. how long a bucket stays open if event time runs like the
 * clock) are dropped by {@code StateSpec.timeout}, so idle keys do not hold sketches for ever. Spark visits
 * timed-out keys on its full state scans (every checkpoint interval, 10 batches), so a key leaves the state
 * between {@code timeout} and {@code timeout} + 10 batch intervals after its last event.
 *
 * <p><b>Why a returning key cannot overwrite a published bucket.</b> A bucket's upsert carries its full
 * aggregate. If a timed-out key came back with an event for a bucket it had published, a fresh state would
 * publish a partial aggregate over the full one in the compacted topic. So lateness is not judged from this
 * (droppable) state alone: a first {@code mapWithState} without timeout ({@link HistoryStateFunction}) keeps
 * per key its watermark and the start of the last bucket it opened (two longs) and attaches them to the batch.
 * A key without open-bucket state but with a history resumes with {@link OpenBuckets#resumed}: every bucket up
 * to its last one is closed, its events counted late (the batch layer includes them), and the watermark goes
 * on where it was. A key with no history is new: nothing of it was published. The sound alternative, a
 * per-view stream watermark, would need the other keys' state in the same batch; per-key history needs none.
 */
public final class BucketStateFunction implements Function3<ViewKey, Optional<KeyBatch>, State<OpenBuckets>, KeyOutcome> {
  private final ViewFold fold;

  public BucketStateFunction(ViewFold fold) {
    this.fold = fold;
  }

  /** The idle time after which a key's open buckets leave the state: max over bucket views of bucket + lateness. */
  public static Duration timeout(ViewCatalog catalog) {
    return catalog.bucketViews().stream().map(v -> v.bucketWidth().plus(v.lateness()))
        .max(Duration::compareTo).orElse(Duration.ofMinutes(1));
  }

  @Override
  public KeyOutcome call(ViewKey key, Optional<KeyBatch> batch, State<OpenBuckets> state) {
    if (state.isTimingOut() || !batch.isPresent()) {
      return new KeyOutcome(key, List.of(), 0); // dropped; its KeyHistory stays
    }
    KeyBatch b = batch.get();
    OpenBuckets current = state.exists() ? state.get() : fresh(b.history());
    ViewAggregator aggregator = fold.aggregator(key.view());
    OpenBuckets.Outcome outcome = current.apply(b, aggregator);
    state.update(outcome.state());
    return new KeyOutcome(key, updates(key, outcome.updated(), aggregator), outcome.lateEvents());
  }

  static OpenBuckets fresh(KeyHistory history) {
    return history == null ? OpenBuckets.empty() : OpenBuckets.resumed(history.watermark(), history.lastBucketStart());
  }

  private static List<ViewUpdate> updates(ViewKey key, List<OpenBuckets.BucketResult> buckets, ViewAggregator aggregator) {
    ViewDefinition view = aggregator.view();
    List<ViewUpdate> out = new ArrayList<>(buckets.size());
    for (OpenBuckets.BucketResult b : buckets) {
      out.add(new ViewUpdate(key.view(), key.key(), b.bucketStart(), b.bucketStart() + view.bucketWidthMillis(),
          b.aggregate().events(), aggregator.results(b.aggregate()), aggregator.encode(b.aggregate()), "speed", 0));
    }
    return out;
  }
}
