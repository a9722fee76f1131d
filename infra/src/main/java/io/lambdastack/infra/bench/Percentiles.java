package io.lambdastack.infra.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample (no interpolation: every reported value was observed). */
record Percentiles(long[] sorted) {
  static Percentiles of(Collection<Long> values) {
    long[] a = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return new Percentiles(a);
  }

  /** Takes the array (sorts it in place). */
  static Percentiles of(long[] values) {
    Arrays.sort(values);
    return new Percentiles(values);
  }

  /** @param q in (0, 1]; -1 for an empty sample */
  long at(double q) {
    return sorted.length == 0 ? -1 : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }

  long max() {
    return at(1.0);
  }

  int size() {
    return sorted.length;
  }
}
