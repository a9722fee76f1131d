package io.lambdastack.speed.output;

import io.lambdastack.speed.metrics.OutcomeCounters;
import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.view.config.SafeProducer;
import io.lambdastack.view.update.ViewUpdate;
import io.lambdastack.view.update.ViewUpdateJson;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a partition of updated buckets to the compacted speed-view topic, one upsert per (view, key,
 * bucket) carrying the full aggregate. The producer retries on its own (idempotent, up to its delivery
 * timeout); if a send still fails, the task fails and Spark retries it ({@code spark.task.maxFailures};
 * embedded runs use {@code local[*,4]}), which is safe because the upserts are idempotent. A batch that
 * fails for good stops the job (the launcher reports it), and a restart re-runs it from the checkpoint.
 */
public final class ViewUpdatePublisher {
  /** One producer per executor JVM and cluster, as Spark's Kafka sinks do. */
  private static final Map<String, KafkaProducer<String, byte[]>> PRODUCERS = new ConcurrentHashMap<>();

  private ViewUpdatePublisher() {}

  public static void publish(Iterator<KeyOutcome> outcomes, String bootstrap, String topic, long batchTime,
      OutcomeCounters counters) {
    KafkaProducer<String, byte[]> producer = PRODUCERS.computeIfAbsent(bootstrap, ViewUpdatePublisher::producer);
    AtomicReference<Exception> failure = new AtomicReference<>();
    while (outcomes.hasNext()) {
      KeyOutcome outcome = outcomes.next();
      counters.count(outcome);
      for (ViewUpdate u : outcome.updates()) {
        ViewUpdate update = stamped(u, batchTime);
        String key = ViewUpdateJson.recordKey(update.view(), update.key(), update.bucketStart());
        producer.send(new ProducerRecord<>(topic, key, ViewUpdateJson.toBytes(update)), (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
      }
    }
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("publishing speed views to " + topic + " failed: " + failure.get().getMessage(), failure.get());
    }
  }

  /** The update as produced by the batch at {@code batchTime}. */
  public static ViewUpdate stamped(ViewUpdate u, long batchTime) {
    return new ViewUpdate(u.view(), u.key(), u.bucketStart(), u.bucketEnd(), u.events(), u.measures(), u.aggregate(),
        u.layer(), batchTime);
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = SafeProducer.config(bootstrap, "speed-layer-views");
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    Runtime.getRuntime().addShutdownHook(new Thread(producer::close, "speed-view-producer-close"));
    return producer;
  }
}
