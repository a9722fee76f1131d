package io.lambdastack.speed.state;

import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.streaming.State;
import scala.Tuple2;

/** The first {@code mapWithState}: hands each key's batch on with the key's history as it stood before it. */
public final class HistoryStateFunction
    implements Function3<ViewKey, Optional<KeyBatch>, State<KeyHistory>, Tuple2<ViewKey, KeyBatch>> {
  @Override
  public Tuple2<ViewKey, KeyBatch> call(ViewKey key, Optional<KeyBatch> batch, State<KeyHistory> state) {
    KeyHistory before = state.exists() ? state.get() : null;
    KeyBatch b = batch.get(); // this state never times out: there is always a batch
    state.update((before == null ? KeyHistory.none() : before).after(b));
    return new Tuple2<>(key, b.withHistory(before));
  }
}
