package io.lambdastack.serving.ingest;

import io.lambdastack.serving.store.SpeedViewStore;
import io.lambdastack.view.update.ViewUpdate;
import io.lambdastack.view.update.ViewUpdateJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the compacted speed-view topic into the store. It reads every partition from the beginning on
 * start (no consumer group): the topic is the serving layer's durable state, so a restart rebuilds it.
 */
public final class SpeedViewConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpeedViewConsumer.class);
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final SpeedViewStore store;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Thread thread = new Thread(this::run, "serving-speed-view-consumer");
  private volatile boolean running = true;
  private volatile boolean healthy;

  public SpeedViewConsumer(String bootstrapServers, String topic, SpeedViewStore store) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "serving-layer-speed-views");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.store = store;
  }

  public SpeedViewConsumer start() {
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  private void run() {
    try {
      while (running && !assignAll()) {
        Thread.sleep(1000); // topic missing or broker unreachable: retry, the store stays as it is
      }
      while (running) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            apply(record);
          }
          healthy = true;
        } catch (WakeupException stopping) {
          throw stopping;
        } catch (org.apache.kafka.common.KafkaException e) {
          healthy = false;
          log.warn("speed-view consumer: {}; retrying", e.toString());
          Thread.sleep(1000);
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      // close() was called
    } catch (RuntimeException e) {
      healthy = false;
      log.error("speed-view consumer stopped: {}", e.toString());
    } finally {
      consumer.close();
    }
  }

  /** Assigns every partition of the topic from the beginning; false if the topic cannot be described yet. */
  private boolean assignAll() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      if (partitions.isEmpty()) {
        return false;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      return true;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      log.warn("speed-view topic {} not reachable yet: {}", topic, e.getMessage());
      return false;
    }
  }

  /** False while the topic cannot be read (shown by /health). */
  public boolean healthy() {
    return healthy && thread.isAlive();
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return; // a tombstone: nothing to serve
    }
    try {
      ViewUpdate update = ViewUpdateJson.parse(record.value());
      store.apply(update);
      applied.incrementAndGet();
    } catch (IllegalArgumentException e) {
      rejected.incrementAndGet();
      log.warn("skipping unreadable speed-view record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }

  public long applied() { return applied.get(); }

  public long rejected() { return rejected.get(); }

  public Map<String, Long> counts() {
    return Map.of("applied", applied.get(), "rejected", rejected.get());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread.isAlive()) {
      consumer.wakeup();
      thread.join(10_000);
    } else {
      consumer.close();
    }
  }
}
