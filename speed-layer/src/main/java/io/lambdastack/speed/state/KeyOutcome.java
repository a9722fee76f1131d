package io.lambdastack.speed.state;

import io.lambdastack.view.update.ViewUpdate;
import java.io.Serializable;
import java.util.List;

/**
 * What a view emits for one (view, key) per batch: the upserts to publish (full aggregates; {@code updatedAt}
 * is stamped with the batch time when published) and the key's late events.
 */
public record KeyOutcome(ViewKey key, List<ViewUpdate> updates, long lateEvents) implements Serializable {}
