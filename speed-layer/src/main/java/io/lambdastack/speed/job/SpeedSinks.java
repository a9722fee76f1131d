package io.lambdastack.speed.job;

import io.lambdastack.speed.metrics.OutcomeCounters;
import io.lambdastack.speed.metrics.SpeedCounters;
import io.lambdastack.speed.metrics.SpeedStatus;
import io.lambdastack.speed.output.IndexCoalescer;
import io.lambdastack.speed.output.Sink;
import io.lambdastack.speed.output.TextSinks;
import io.lambdastack.speed.output.ViewUpdatePublisher;
import io.lambdastack.speed.state.KeyOutcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;

/**
 * The output operations of the speed layer. Spark runs a batch's output operations one after the other in the
 * order they were registered: the per-batch views' sinks first (what analysts wait for), then the sliding
 * windows', then the state-size metrics, and last the bookkeeping, so offsets are committed only after the
 * batch's sinks succeeded ({@link OutputLedger}: Spark runs the next output even after a failed one).
 */
final class SpeedSinks {
  private SpeedSinks() {}

  /**
   * The configured sinks of a stream of outcomes, and the counting of its late events.
   *
   * @param perBatch true for the stream that runs on every batch: its late events are counted even when no
   *                 Kafka sink publishes it
   */
  static void attach(JavaDStream<KeyOutcome> outcomes, SpeedLayerSettings settings, boolean perBatch, int partitions) {
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
    String group = settings.groupId();
    outcomes.foreachRDD((rdd, time) -> {
      OutcomeCounters counters = OutcomeCounters.of(SpeedCounters.get(rdd.context())); // the accumulators, not their driver-only holder
      OutputLedger ledger = OutputLedger.of(group);
      ledger.requireNoFailure(time.milliseconds());
      try {
        if (publish) {
          // One task per partition of the states, each with a share of every state (IndexCoalescer), not one per
          // state and partition.
          IndexCoalescer.byIndex(rdd, partitions)
              .foreachPartition(p -> ViewUpdatePublisher.publish(p, bootstrap, topic, time.milliseconds(), counters));
        } else {
          rdd.filter(OutcomeCounters::counted).foreach(counters::count);
        }
      } catch (Exception e) { // a failed job is Spark's (checked) SparkException
        ledger.failed(time.milliseconds(), e); // Spark still runs the batch's next outputs: the commit must know
        throw e;
      }
    });
  }

  /**
   * The bookkeeping of a batch, registered LAST: the batch's Kafka offsets committed, its status recorded.
   * Driver-side only (no Spark job), so it adds nothing to the batch's time. After a failed output it fails too:
   * Spark counts a batch as done when its last output succeeds, and a failed batch must stay pending in the
   * checkpoint, to run again on recovery ({@link OutputLedger}).
   *
   * @param kafka the input whose offsets to commit after the outputs; null for text inputs
   */
  static void afterOutputs(JavaDStream<KeyOutcome> perBatch, JavaInputDStream<ConsumerRecord<String, byte[]>> kafka, String group) {
    perBatch.foreachRDD((rdd, time) -> {
      if (kafka != null) {
        SpeedLayerJob.completed(kafka, group, time.milliseconds());
      }
      SpeedStatus.record(time.milliseconds(), SpeedCounters.get(rdd.context()));
      OutputLedger.of(group).requireNoFailure(time.milliseconds());
    });
  }
}
