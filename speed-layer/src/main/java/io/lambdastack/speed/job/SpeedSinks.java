package io.lambdastack.speed.job;

import io.lambdastack.speed.metrics.CountsByName;
import io.lambdastack.speed.metrics.SpeedCounters;
import io.lambdastack.speed.metrics.SpeedStatus;
import io.lambdastack.speed.output.Sink;
import io.lambdastack.speed.output.TextSinks;
import io.lambdastack.speed.output.ViewUpdatePublisher;
import io.lambdastack.speed.state.KeyOutcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;

/**
 * The output operations of a stream of outcomes, in order: the configured sinks, then (for the per-batch
 * stream) the bookkeeping: late events counted, the batch's Kafka offsets committed, status recorded. Spark
 * runs a batch's output operations one after the other in the order they were registered, so offsets are
 * committed only after every sink of the batch succeeded.
 */
final class SpeedSinks {
  private SpeedSinks() {}

  /**
   * @param perBatch true for the stream that runs on every batch (registered last): it does the bookkeeping
   * @param kafka    the input whose offsets to commit after the outputs; null for text inputs
   */
  static void attach(JavaDStream<KeyOutcome> outcomes, SpeedLayerSettings settings, boolean perBatch,
      JavaInputDStream<ConsumerRecord<String, byte[]>> kafka) {
    boolean publishes = false;
    for (Sink sink : settings.sinks()) {
      switch (sink.kind()) {
        case PRINT -> TextSinks.print(outcomes);
        case TEXT -> TextSinks.saveAsTextFiles(outcomes, sink.prefix());
        case KAFKA -> publishes = true;
      }
    }
    if (!publishes && !perBatch) {
      return;
    }
    String bootstrap = settings.bootstrapServers();
    String topic = settings.outputTopic();
    boolean publish = publishes;
    outcomes.foreachRDD((rdd, time) -> {
      SpeedCounters counters = SpeedCounters.get(rdd.context());
      CountsByName late = counters.latePerView; // capture the accumulator, not its (driver-only) holder
      if (publish) {
        rdd.foreachPartition(p -> ViewUpdatePublisher.publish(p, bootstrap, topic, time.milliseconds(), late));
      } else {
        rdd.filter(o -> o.lateEvents() > 0).foreach(o -> late.add(o.key().view(), o.lateEvents()));
      }
      if (perBatch) {
        if (kafka != null) {
          SpeedLayerJob.completed(kafka, time.milliseconds());
        }
        SpeedStatus.record(time.milliseconds(), counters);
      }
    });
  }
}
