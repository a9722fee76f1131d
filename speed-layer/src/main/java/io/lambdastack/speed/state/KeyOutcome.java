package io.lambdastack.speed.state;

import io.lambdastack.view.update.ViewUpdate;
import java.io.Serializable;
import java.util.List;

/**
 * What a view emits for one (view, key) per batch: the upserts to publish (full aggregates; {@code updatedAt}
 * is stamped with the batch time when published), the key's late events, whether its events had to be read again
 * from Kafka (a landmark view whose batch's runs could not be used: see {@code LandmarkStateFunction.ReadAgain}), and
 * how many records were read from Kafka for that: the slices this key's call read itself (a slice read for another key
 * of the batch is counted there, so the sum over a batch is the records read again).
 */
public record KeyOutcome(ViewKey key, List<ViewUpdate> updates, long lateEvents, boolean readAgain, long recordsReadAgain)
    implements Serializable {
  public KeyOutcome(ViewKey key, List<ViewUpdate> updates, long lateEvents) {
    this(key, updates, lateEvents, false, 0);
  }
}
