package io.lambdastack.infra.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Nearest-rank percentiles of a sample (no interpolation: every reported value was observed), kept as its distinct
 * values in order with how often each occurred. Why counts: a latency run holds tens of millions of latencies in a few
 * thousand distinct milliseconds, and sorting them as one array (plus the sort's own buffer of the same size) ran the
 * benchmark out of heap at 1,210,500 records/s (the 34 million latencies of its first 30 s).
 */
final class Percentiles {
  private final long[] values;
  private final long[] counts;
  private final long size;

  private Percentiles(long[] values, long[] counts, long size) {
    this.values = values;
    this.counts = counts;
    this.size = size;
  }

  static Percentiles of(Collection<Long> values) {
    return of(values.stream().mapToLong(Long::longValue).toArray());
  }

  /** Takes the array (sorts it in place). */
  static Percentiles of(long[] values) {
    Arrays.sort(values);
    int distinct = 0;
    for (int i = 0; i < values.length; i++) {
      distinct += i == 0 || values[i] != values[i - 1] ? 1 : 0;
    }
    long[] v = new long[distinct];
    long[] c = new long[distinct];
    int k = -1;
    for (int i = 0; i < values.length; i++) {
      if (i == 0 || values[i] != values[i - 1]) {
        v[++k] = values[i];
      }
      c[k]++;
    }
    return new Percentiles(v, c, values.length);
  }

  /** From a histogram: {@code counts[i]} occurrences of the value {@code first + i} (zero counts allowed). */
  static Percentiles ofHistogram(long first, long[] counts) {
    int distinct = 0;
    long size = 0;
    for (long c : counts) {
      distinct += c > 0 ? 1 : 0;
      size += c;
    }
    long[] v = new long[distinct];
    long[] c = new long[distinct];
    int k = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        v[k] = first + i;
        c[k++] = counts[i];
      }
    }
    return new Percentiles(v, c, size);
  }

  /** @param q in (0, 1]; -1 for an empty sample */
  long at(double q) {
    if (size == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(q * size));
    long seen = 0;
    for (int i = 0; i < values.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  long max() {
    return at(1.0);
  }

  long size() {
    return size;
  }

  /** Every value in order, repeats included: for small samples (tests, printing). */
  long[] sorted() {
    long[] out = new long[Math.toIntExact(size)];
    int at = 0;
    for (int i = 0; i < values.length; i++) {
      Arrays.fill(out, at, at + (int) counts[i], values[i]);
      at += (int) counts[i];
    }
    return out;
  }
}
