package io.lambdastack.infra.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Latencies kept with the send time of their event, so a run can be cut into periods by when events were sent
 * (a warm-up and the measured part; windows that show a trend). A run sees tens of millions (run 72: 35,000,000 in
 * 50 s at 693,750 records/s, and the probe ran out of heap with two growing long arrays), so each is kept in 8 bytes,
 * in chunks that are never copied: the send time in milliseconds from the first one recorded (an event seen later may
 * have been sent earlier: negative), the latency in milliseconds.
 */
final class SentLatencies {
  private static final int CHUNK = 1 << 20;
  private final List<int[]> sendOffsets = new ArrayList<>();
  private final List<int[]> latencies = new ArrayList<>();
  private long base = Long.MIN_VALUE;
  private long size;

  synchronized void add(long sendTime, long latency) {
    if (base == Long.MIN_VALUE) {
      base = sendTime;
    }
    int at = (int) (size % CHUNK);
    if (at == 0) {
      sendOffsets.add(new int[CHUNK]);
      latencies.add(new int[CHUNK]);
    }
    sendOffsets.get(sendOffsets.size() - 1)[at] = Math.toIntExact(sendTime - base);
    latencies.get(latencies.size() - 1)[at] = Math.toIntExact(latency);
    size++;
  }

  /**
   * The latencies of the events sent in [from, to), counted per millisecond (a run's latencies span a few thousand of
   * them); a wider span than {@link #MAX_SPAN} (never seen) is sorted as an array instead.
   */
  synchronized Percentiles sentIn(long from, long to) {
    long n = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long i = 0; i < size; i++) {
      if (in(i, from, to)) {
        long latency = latency(i);
        min = Math.min(min, latency);
        max = Math.max(max, latency);
        n++;
      }
    }
    if (n == 0) {
      return Percentiles.of(new long[0]);
    }
    if (max - min >= MAX_SPAN) {
      long[] out = new long[Math.toIntExact(n)];
      int k = 0;
      for (long i = 0; i < size; i++) {
        if (in(i, from, to)) {
          out[k++] = latency(i);
        }
      }
      return Percentiles.of(out);
    }
    long[] counts = new long[(int) (max - min + 1)];
    for (long i = 0; i < size; i++) {
      if (in(i, from, to)) {
        counts[(int) (latency(i) - min)]++;
      }
    }
    return Percentiles.ofHistogram(min, counts);
  }

  /** The widest span of latencies counted per millisecond: 1,000,000 ms, 8 MB of counts. */
  static final long MAX_SPAN = 1_000_000;

  private long latency(long i) {
    return latencies.get((int) (i / CHUNK))[(int) (i % CHUNK)];
  }

  private boolean in(long i, long from, long to) {
    long sendTime = base + sendOffsets.get((int) (i / CHUNK))[(int) (i % CHUNK)];
    return sendTime >= from && sendTime < to;
  }
}
