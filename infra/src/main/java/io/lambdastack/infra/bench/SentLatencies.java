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

  /** The latencies of the events sent in [from, to). */
  synchronized Percentiles sentIn(long from, long to) {
    int n = 0;
    for (long i = 0; i < size; i++) {
      n += in(i, from, to) ? 1 : 0;
    }
    long[] out = new long[n];
    int k = 0;
    for (long i = 0; i < size; i++) {
      if (in(i, from, to)) {
        out[k++] = latencies.get((int) (i / CHUNK))[(int) (i % CHUNK)];
      }
    }
    return Percentiles.of(out);
  }

  private boolean in(long i, long from, long to) {
    long sendTime = base + sendOffsets.get((int) (i / CHUNK))[(int) (i % CHUNK)];
    return sendTime >= from && sendTime < to;
  }
}
