package io.lambdastack.speed.state;

import java.io.Serializable;
import java.util.List;

/** What the state function emits for one (view, key) per batch: the buckets it updated and its late events. */
public record KeyOutcome(ViewKey key, List<OpenBuckets.BucketResult> updated, long lateEvents) implements Serializable {}
