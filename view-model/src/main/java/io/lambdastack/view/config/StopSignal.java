package io.lambdastack.view.config;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Waits for SIGINT or SIGTERM as signals, not as JVM shutdown: a graceful stop then runs while Spark, Hadoop
 * and Kafka are still alive. (In shutdown hooks, Spark's own hook stops the SparkContext concurrently and a
 * graceful StreamingContext stop waits forever for a batch that can no longer run.)
 */
public final class StopSignal {
  private final CountDownLatch received = new CountDownLatch(1);
  private volatile String name;

  private StopSignal() {}

  public static StopSignal install() {
    StopSignal s = new StopSignal();
    for (String sig : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(sig), signal -> {
        s.name = "SIG" + signal.getName();
        s.received.countDown();
      });
    }
    return s;
  }

  /** Blocks until a signal arrives; returns its name. */
  public String await() throws InterruptedException {
    received.await();
    return name;
  }

  /** Waits up to {@code timeout} for a signal; returns its name, or null when none came. */
  public String await(java.time.Duration timeout) throws InterruptedException {
    return received.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) ? name : null;
  }

  /** Runs {@code stop}, halting the JVM if it takes longer than {@code deadlineMillis}. */
  public static void stopWithin(long deadlineMillis, Runnable stop) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(deadlineMillis);
        System.err.println("graceful stop exceeded " + deadlineMillis / 1000 + " s; halting");
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException done) {
        // stopped in time
      }
    }, "stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    stop.run();
    watchdog.interrupt();
  }
}
