package io.lambdastack.speed.running;

import io.lambdastack.view.aggregate.Aggregate;
import java.io.Serializable;

/**
 * The {@code updateStateByKey} state of a running view: the key's aggregate since it was first seen, and
 * whether the last batch changed it (updateStateByKey returns every key on every batch; only changed ones
 * are published). The aggregate is never modified once stored.
 */
public record RunningTotal(Aggregate total, boolean changed) implements Serializable {}
