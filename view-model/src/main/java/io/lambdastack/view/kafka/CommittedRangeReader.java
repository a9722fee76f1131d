package io.lambdastack.view.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Reads Kafka offset ranges, committed records only: the speed layer's micro-batches and the archiver's
 * runs. Spark's DStream Kafka iterator cannot read a topic written with transactions (our exactly-once validator's clean topic): a transaction marker takes the
 * last offset of a range, the iterator waits for a record at or after it, and when no newer data comes the
 * task fails after {@code poll.ms}. This reader ends a range when the consumer's position, which moves past
 * markers and aborted records, reaches the range's end. The ranges themselves still come from the direct
 * stream, so checkpointing, recovery and offset commits are Spark's own.
 */
public final class CommittedRangeReader {
  static final Duration RANGE_TIMEOUT = Duration.ofMinutes(2);

  private CommittedRangeReader() {}

  /**
   * One Spark partition per group of ranges, read one after the other: (topic, value) of every committed record.
   * Lets a caller size its tasks by records rather than by partitions (the speed layer's micro-batches).
   */
  public static JavaPairRDD<String, byte[]> readGroups(JavaSparkContext jsc, List<List<TopicRange>> groups, String bootstrapServers) {
    List<List<TopicRange>> nonEmpty = groups.stream().map(g -> g.stream().filter(r -> !r.isEmpty()).toList())
        .filter(g -> !g.isEmpty()).toList();
    return jsc.parallelize(nonEmpty, Math.max(1, nonEmpty.size()))
        .flatMapToPair(group -> group.stream()
            .flatMap(range -> readRange(range, bootstrapServers).stream())
            .map(r -> new Tuple2<>(r.topic(), r.value()))
            .iterator());
  }

  /** A committed record: where it is in the log, its timestamp and its bytes. */
  public record Committed(String topic, int partition, long offset, long timestamp, byte[] value)
      implements java.io.Serializable {}

  public static List<Committed> readRange(TopicRange range, String bootstrapServers) {
    TopicPartition tp = range.topicPartition();
    List<Committed> out = new ArrayList<>();
    KafkaConsumer<byte[], byte[]> consumer = borrow(bootstrapServers);
    boolean healthy = false;
    try {
      consumer.assign(List.of(tp));
      consumer.seek(tp, range.from());
      long deadline = System.nanoTime() + RANGE_TIMEOUT.toNanos();
      while (consumer.position(tp) < range.until()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + tp + " offsets " + range.from() + ".." + range.until()
              + " did not finish within " + RANGE_TIMEOUT + " (at " + consumer.position(tp) + ")");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
          if (r.offset() < range.until()) {
            out.add(new Committed(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value()));
          }
        }
      }
      healthy = true;
    } finally {
      giveBack(bootstrapServers, consumer, healthy);
    }
    return out;
  }

  /**
   * Idle consumers per cluster, kept in the executor JVM between micro-batches: connecting and fetching
   * metadata is a fixed cost a 1 s batch cannot afford per range (Spark's Kafka source caches its consumers
   * the same way). A consumer serves one range at a time; concurrent ranges take different consumers.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.ConcurrentLinkedQueue<KafkaConsumer<byte[], byte[]>>> IDLE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static KafkaConsumer<byte[], byte[]> borrow(String bootstrapServers) {
    KafkaConsumer<byte[], byte[]> idle = IDLE.computeIfAbsent(bootstrapServers, b -> new java.util.concurrent.ConcurrentLinkedQueue<>()).poll();
    return idle != null ? idle : new KafkaConsumer<>(config(bootstrapServers), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static void giveBack(String bootstrapServers, KafkaConsumer<byte[], byte[]> consumer, boolean healthy) {
    java.util.concurrent.ConcurrentLinkedQueue<KafkaConsumer<byte[], byte[]>> idle = IDLE.get(bootstrapServers);
    if (healthy && idle.size() < 8) {
      consumer.assign(List.of()); // no fetches for a partition nobody reads
      idle.offer(consumer);
    } else {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private static Properties config(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"); // a range deleted by retention is an error, not a silent skip
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "lambda-range-reader");
    return p;
  }
}
