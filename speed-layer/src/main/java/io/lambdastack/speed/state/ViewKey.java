package io.lambdastack.speed.state;

import java.io.Serializable;

/** The unit of speed-layer state: one key of one view (its open buckets live inside). */
public record ViewKey(String view, String key) implements Serializable {}
