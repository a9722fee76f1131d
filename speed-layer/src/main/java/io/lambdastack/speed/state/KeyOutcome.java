package io.lambdastack.speed.state;

import io.lambdastack.view.update.ViewUpdate;
import java.io.Serializable;
import java.util.List;

/**
 * What a view emits for one (view, key) per batch: the upserts to publish (full aggregates; {@code updatedAt}
 * is stamped with the batch time when published), the key's late events, and whether its events had to be read again
 * from Kafka (a landmark view whose batch's runs could not be used: see {@code LandmarkStateFunction.ReadAgain}).
 */
public record KeyOutcome(ViewKey key, List<ViewUpdate> updates, long lateEvents, boolean readAgain) implements Serializable {
  public KeyOutcome(ViewKey key, List<ViewUpdate> updates, long lateEvents) {
    this(key, updates, lateEvents, false);
  }
}
