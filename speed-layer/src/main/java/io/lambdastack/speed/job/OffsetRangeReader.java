package io.lambdastack.speed.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.kafka010.OffsetRange;
import scala.Tuple2;

/**
 * Reads a batch's Kafka offset ranges, committed records only. Spark's DStream Kafka iterator cannot read a
 * topic written with transactions (our exactly-once validator's clean topic): a transaction marker takes the
 * last offset of a range, the iterator waits for a record at or after it, and when no newer data comes the
 * task fails after {@code poll.ms}. This reader ends a range when the consumer's position, which moves past
 * markers and aborted records, reaches the range's end. The ranges themselves still come from the direct
 * stream, so checkpointing, recovery and offset commits are Spark's own.
 */
final class OffsetRangeReader {
  static final Duration RANGE_TIMEOUT = Duration.ofMinutes(2);

  private OffsetRangeReader() {}

  /** One Spark partition per non-empty range: (topic, value) of every committed record in it. */
  static JavaPairRDD<String, byte[]> read(JavaSparkContext jsc, OffsetRange[] ranges, String bootstrapServers) {
    List<OffsetRange> nonEmpty = Arrays.stream(ranges).filter(r -> r.fromOffset() < r.untilOffset()).toList();
    return jsc.parallelize(nonEmpty, Math.max(1, nonEmpty.size()))
        .flatMapToPair(range -> readRange(range, bootstrapServers));
  }

  static Iterator<Tuple2<String, byte[]>> readRange(OffsetRange range, String bootstrapServers) {
    TopicPartition tp = range.topicPartition();
    List<Tuple2<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config(bootstrapServers),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, range.fromOffset());
      long deadline = System.nanoTime() + RANGE_TIMEOUT.toNanos();
      while (consumer.position(tp) < range.untilOffset()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + tp + " offsets " + range.fromOffset() + ".." + range.untilOffset()
              + " did not finish within " + RANGE_TIMEOUT + " (at " + consumer.position(tp) + ")");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
          if (r.offset() < range.untilOffset()) {
            out.add(new Tuple2<>(r.topic(), r.value()));
          }
        }
      }
    }
    return out.iterator();
  }

  private static Properties config(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"); // a range deleted by retention is an error, not a silent skip
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "speed-layer-range-reader");
    return p;
  }
}
