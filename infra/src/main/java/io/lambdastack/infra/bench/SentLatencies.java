package io.lambdastack.infra.bench;

import java.util.Arrays;

/**
 * Latencies kept with the send time of their event, so a run can be cut into periods by when events were sent
 * (a warm-up and the measured part; windows that show a trend). Primitive arrays: a run sees millions.
 */
final class SentLatencies {
  private long[] sendTimes = new long[1 << 16];
  private long[] latencies = new long[1 << 16];
  private int size;

  synchronized void add(long sendTime, long latency) {
    if (size == latencies.length) {
      sendTimes = Arrays.copyOf(sendTimes, size * 2);
      latencies = Arrays.copyOf(latencies, size * 2);
    }
    sendTimes[size] = sendTime;
    latencies[size++] = latency;
  }

  /** The latencies of the events sent in [from, to). */
  synchronized Percentiles sentIn(long from, long to) {
    long[] in = new long[size];
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (sendTimes[i] >= from && sendTimes[i] < to) {
        in[n++] = latencies[i];
      }
    }
    return Percentiles.of(Arrays.copyOf(in, n));
  }
}
