package io.lambdastack.ingestion.cli;

/**
 * The seed's "trickle and flood": a fixed rate (events/s), unthrottled (rate 0), or bursts of N events every
 * period. Paces by the clock, so slow sends do not lower the average rate.
 */
final class Pacer {
  private final double rate;
  private final long burst;
  private final long periodNanos;
  private final long start = System.nanoTime();
  private long issued;

  Pacer(double rate, long burst, long periodMillis) {
    if (rate < 0 || burst < 0 || (burst > 0 && periodMillis <= 0)) {
      throw new io.lambdastack.view.config.ConfigException("--rate must be >= 0; --burst needs a positive --every");
    }
    this.rate = rate;
    this.burst = burst;
    this.periodNanos = periodMillis * 1_000_000;
  }

  /** Blocks until the next event may be sent. */
  void awaitTurn() throws InterruptedException {
    long due;
    if (burst > 0) {
      due = start + (issued / burst) * periodNanos;
    } else if (rate > 0) {
      due = start + (long) (issued / rate * 1e9);
    } else {
      due = 0;
    }
    issued++;
    long wait = due - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
