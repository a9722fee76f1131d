package io.lambdastack.ingestion.validation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the committed records of the ingestion topics (read_committed, so aborted transactions and
 * transaction markers do not count): raw must equal clean + dead-letter + duplicates once the validator
 * has caught up.
 */
public final class IngestReport {
  public record Counts(long raw, long clean, long deadLetter, long duplicates) {
    public boolean reconciles() {
      return raw == clean + deadLetter + duplicates;
    }

    public Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("raw", raw);
      m.put("clean", clean);
      m.put("deadLetter", deadLetter);
      m.put("duplicates", duplicates);
      m.put("reconciles", reconciles());
      return m;
    }
  }

  private IngestReport() {}

  /**
   * Counts the outputs first and raw last: while records flow, raw then holds at least everything the outputs
   * came from, and {@code raw - outputs} is what is still in flight. Exact reconciliation is for a quiet system.
   */
  public static Counts count(String bootstrapServers, ValidatorSettings s) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      long clean = records(consumer, s.cleanTopic());
      long dead = records(consumer, s.deadLetterTopic());
      long dups = records(consumer, s.duplicatesTopic());
      return new Counts(records(consumer, s.rawTopic()), clean, dead, dups);
    }
  }

  /** Reads every committed record of a topic, from the beginning to the current end; returns how many. */
  public static long forEachCommitted(String bootstrapServers, String topic,
      java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> action) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
      return read(consumer, topic, action);
    }
  }

  /** Committed records of a topic, counted by reading it (offsets alone would count transaction markers). */
  static long records(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    return read(consumer, topic, r -> { });
  }

  private static long read(KafkaConsumer<byte[], byte[]> consumer, String topic,
      java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> action) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    if (partitions.isEmpty()) {
      return 0;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    long count = 0;
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      for (var r : consumer.poll(Duration.ofMillis(500))) {
        action.accept(r);
        count++;
      }
    }
    return count;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
