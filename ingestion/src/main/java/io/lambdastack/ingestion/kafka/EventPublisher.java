package io.lambdastack.ingestion.kafka;

import io.lambdastack.view.config.SafeProducer;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends events as JSON, keyed by an entity id so per-key order holds within a partition. Idempotent,
 * acks=all, compressed. Every send has a callback; {@link #flush()} throws if any send failed, so a run
 * never loses records silently.
 */
public final class EventPublisher implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  public EventPublisher(String bootstrapServers, String clientId) {
    this.producer = new KafkaProducer<>(config(bootstrapServers, clientId), new StringSerializer(), new ByteArraySerializer());
  }

  public static Properties config(String bootstrapServers, String clientId) {
    return SafeProducer.config(bootstrapServers, clientId);
  }

  public void send(String topic, String key, Event event) {
    sendRaw(topic, key, EventJson.toBytes(event));
  }

  public void sendRaw(String topic, String key, byte[] value) {
    sendRaw(topic, null, key, value);
  }

  /** @param partition the partition to write, or null for the key's (the producer's partitioner) */
  public void sendRaw(String topic, Integer partition, String key, byte[] value) {
    throwIfFailed();
    sent.incrementAndGet();
    bytes.addAndGet(value == null ? 0 : value.length);
    producer.send(new ProducerRecord<>(topic, partition, key, value), (metadata, error) -> {
      if (error == null) {
        acknowledged.incrementAndGet();
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, error);
      }
    });
  }

  /** Waits for every send to be acknowledged; throws if any failed. */
  public void flush() {
    producer.flush();
    throwIfFailed();
  }

  private void throwIfFailed() {
    Exception e = firstFailure.get();
    if (e != null) {
      throw new IllegalStateException(failed.get() + " of " + sent.get() + " sends failed; first: " + e.getMessage(), e);
    }
  }

  public long sent() { return sent.get(); }

  public long acknowledged() { return acknowledged.get(); }

  public long failed() { return failed.get(); }

  public long bytes() { return bytes.get(); }

  @Override
  public void close() {
    producer.close();
  }
}
