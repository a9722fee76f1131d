package io.lambdastack.ingestion.cli;

import io.lambdastack.ingestion.kafka.EventPublisher;
import java.io.PrintStream;

/** Progress lines (events/s, MB/s) every two seconds on long runs, and the final summary. */
final class Progress {
  private final EventPublisher publisher;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private long lastPrint = start;

  Progress(EventPublisher publisher, PrintStream out) {
    this.publisher = publisher;
    this.out = out;
  }

  void tick() {
    long now = System.nanoTime();
    if (now - lastPrint >= 2_000_000_000L) {
      lastPrint = now;
      out.println(line("sending"));
    }
  }

  String line(String what) {
    double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    return String.format("%s: sent %,d  acknowledged %,d  failed %,d  %,.0f events/s  %.2f MB/s  (%.1f s)", what,
        publisher.sent(), publisher.acknowledged(), publisher.failed(), publisher.sent() / seconds,
        publisher.bytes() / seconds / 1e6, seconds);
  }
}
