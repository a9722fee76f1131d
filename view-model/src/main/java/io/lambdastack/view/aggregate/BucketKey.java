package io.lambdastack.view.aggregate;

import java.io.Serializable;
import java.util.Comparator;

/** Identifies one cell of a view: (view, key, start of the event-time bucket). */
public record BucketKey(String view, String key, long bucketStart) implements Serializable, Comparable<BucketKey> {
  private static final Comparator<BucketKey> ORDER = Comparator.comparing(BucketKey::view)
      .thenComparing(BucketKey::key).thenComparingLong(BucketKey::bucketStart);

  @Override
  public int compareTo(BucketKey other) {
    return ORDER.compare(this, other);
  }
}
