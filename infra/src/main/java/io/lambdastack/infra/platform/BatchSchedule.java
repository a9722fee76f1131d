package io.lambdastack.infra.platform;

import io.lambdastack.batch.cli.BatchCycle;
import io.lambdastack.batch.recompute.DateRange;
import io.lambdastack.batch.snapshot.Manifest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's batch layer: archive and recompute every {@code period} on the speed layer's Spark context, in
 * their own job group. A stop cancels a running cycle: the archive and the snapshot store are crash-safe by
 * design (commit file, then pointer flip), so the next cycle redoes the work and nothing is half-published.
 */
final class BatchSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatchSchedule.class);
  private static final String JOB_GROUP = "lambda-batch-layer";

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<Manifest> last = new AtomicReference<>();
  private final SparkContext spark;
  private final Thread thread;

  BatchSchedule(BatchCycle cycle, SparkContext spark, Duration firstDelay, Duration period) {
    this.spark = spark;
    this.thread = new Thread(() -> loop(cycle, firstDelay, period), "batch-layer-schedule");
    thread.setDaemon(true);
    thread.start();
  }

  /** The last published snapshot's manifest, or null before the first cycle. */
  Manifest last() {
    return last.get();
  }

  private void loop(BatchCycle cycle, Duration firstDelay, Duration period) {
    spark.setJobGroup(JOB_GROUP, "archive + recompute", true); // per thread: a stop cancels only our jobs
    Duration wait = firstDelay;
    try {
      while (!stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        try {
          last.set(cycle.runOnce(DateRange.ALL));
        } catch (RuntimeException e) {
          if (stopped.getCount() == 0) {
            return; // cancelled by the stop
          }
          log.warn("batch cycle failed (the published snapshot is unchanged; retrying in {}): {}", period, e.getMessage());
        }
        wait = period;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped.countDown();
    thread.join(2_000);
    if (thread.isAlive()) {
      log.info("cancelling the running batch cycle (crash-safe: the next run redoes it)");
      spark.cancelJobGroup(JOB_GROUP);
      thread.join(5_000);
    }
  }
}
