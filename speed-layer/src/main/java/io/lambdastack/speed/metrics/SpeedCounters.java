package io.lambdastack.speed.metrics;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The speed layer's accumulators. Accumulators are not restored from a streaming checkpoint, so they are a
 * lazily created singleton fetched inside each batch (the pattern of Spark's JavaRecoverableNetworkWordCount),
 * never captured by the checkpointed DStream graph. A new SparkContext gets new accumulators.
 */
public final class SpeedCounters {
  private static SpeedCounters instance;
  private static SparkContext owner;

  public final LongAccumulator events;
  public final LongAccumulator unparseable;
  public final CountsByName latePerView;
  /** Per landmark view: (view, key) batches whose events were read again from Kafka (their runs could not be used). */
  public final CountsByName readAgainPerView;
  /** Records read again from Kafka for those batches (a slice read once for all its keys counts once). */
  public final LongAccumulator recordsReadAgain;

  private SpeedCounters(SparkContext sc) {
    events = sc.longAccumulator("speed.events");
    unparseable = sc.longAccumulator("speed.unparseable");
    latePerView = new CountsByName();
    sc.register(latePerView, "speed.late");
    readAgainPerView = new CountsByName();
    sc.register(readAgainPerView, "speed.landmark.readAgain");
    recordsReadAgain = sc.longAccumulator("speed.landmark.recordsReadAgain");
  }

  public static synchronized SpeedCounters get(SparkContext sc) {
    if (instance == null || owner != sc) {
      instance = new SpeedCounters(sc);
      owner = sc;
    }
    return instance;
  }
}
