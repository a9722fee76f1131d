package io.lambdastack.speed.state;

import java.io.Serializable;

/**
 * What the speed layer must remember of a (view, key) for ever, in two longs: its event-time watermark and
 * the start of the last bucket it opened. It lives in its own {@code mapWithState} without a timeout, ahead of
 * the open buckets' state, which does time out (see {@link BucketStateFunction}).
 */
public record KeyHistory(long watermark, long lastBucketStart) implements Serializable {
  /** The history after a batch (late buckets never raise either value above what accepted ones set). */
  public KeyHistory after(KeyBatch batch) {
    long w = watermark;
    long last = lastBucketStart;
    for (var e : batch.buckets.entrySet()) {
      w = Math.max(w, e.getValue().maxEventTime());
      last = Math.max(last, e.getKey());
    }
    return new KeyHistory(w, last);
  }

  public static KeyHistory none() {
    return new KeyHistory(Long.MIN_VALUE, Long.MIN_VALUE);
  }
}
