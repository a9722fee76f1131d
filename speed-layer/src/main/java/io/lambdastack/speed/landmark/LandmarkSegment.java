package io.lambdastack.speed.landmark;

import io.lambdastack.view.aggregate.Aggregate;
import java.io.Serializable;

/**
 * The state of a landmark view's key: the open segment, which started at {@code start} (the last reset
 * marker, or the key's first event) and holds the aggregate of the events since. Never modified once stored.
 */
public record LandmarkSegment(long start, Aggregate open) implements Serializable {}
