package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.view.kafka.CommittedRangeReader;
import io.lambdastack.view.kafka.TopicRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reader every Spark job reads Kafka with, on a real broker: a range, and a range the partition does not hold. */
@ExtendWith(SharedPlatform.class)
class CommittedRangeReaderIT {
  static final String TOPIC = "range-reader";

  @Test
  void readsARangeExactlyAndARangeBeyondThePartitionStaysRefused() throws Exception {
    String bootstrap = SharedPlatform.get().bootstrapServers();
    SharedPlatform.createTopics(List.of(TopicSpec.of(TOPIC, 1)));
    try (EventPublisher publisher = new EventPublisher(bootstrap, "range-reader-it")) {
      for (int i = 0; i < 5; i++) {
        publisher.sendRaw(TOPIC, "k", ("r" + i).getBytes(StandardCharsets.UTF_8));
      }
      publisher.flush();
    }
    List<CommittedRangeReader.Committed> read = CommittedRangeReader.readRange(new TopicRange(TOPIC, 0, 1, 4), bootstrap);
    assertThat(read).extracting(c -> new String(c.value(), StandardCharsets.UTF_8)).containsExactly("r1", "r2", "r3");
    assertThat(read).extracting(CommittedRangeReader.Committed::offset).containsExactly(1L, 2L, 3L);
    // Offsets 10..12 were never written: the broker refuses them, and so does the reader (a range lost to retention
    // is an error, never skipped).
    assertThatThrownBy(() -> CommittedRangeReader.readRange(new TopicRange(TOPIC, 0, 10, 12), bootstrap))
        .isInstanceOf(OffsetOutOfRangeException.class).hasMessageContaining(TOPIC + "-0");
  }

  /**
   * The speed layer's read: groups of ranges, each group one Spark task streaming its ranges one after the other
   * (poll by poll, across several polls per range here), exactly the committed records of every range.
   */
  @Test
  void readsGroupsOfRangesAsTheyStreamInOrderAndEndExactlyAtEachRange() throws Exception {
    String bootstrap = SharedPlatform.get().bootstrapServers();
    String topic = "range-reader-groups";
    SharedPlatform.createTopics(List.of(TopicSpec.of(topic, 2)));
    int perPartition = 12_000; // more than one poll's 5,000 records
    java.util.Map<String, Object> producerConfig = java.util.Map.of("bootstrap.servers", bootstrap, "linger.ms", 5);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int p = 0; p < 2; p++) {
        for (int i = 0; i < perPartition; i++) {
          producer.send(new ProducerRecord<>(topic, p, null, (p + ":" + i).getBytes(StandardCharsets.UTF_8)));
        }
      }
      producer.flush();
    }
    SparkConf conf = new SparkConf().setAppName("range-reader-it");
    SharedPlatform.get().sparkConf().forEach(conf::set);
    try (JavaSparkContext jsc = new JavaSparkContext(SparkContext.getOrCreate(conf))) {
      List<List<TopicRange>> groups = List.of(
          List.of(new TopicRange(topic, 0, 100, 7_100), new TopicRange(topic, 1, 11_990, 12_000)),
          List.of(new TopicRange(topic, 1, 0, 0), new TopicRange(topic, 1, 3, 6)),
          List.of(new TopicRange(topic, 0, 7_100, 12_000)));
      // Each task's records with its group (its empty ranges left out), as the speed layer's tasks name their slices.
      List<String> read = CommittedRangeReader.<String>readGroups(jsc, groups, bootstrap, (group, records) -> {
        List<String> out = new ArrayList<>();
        records.forEachRemaining(r -> out.add(r.topic() + "/" + StandardCharsets.UTF_8.decode(r.value()).toString()));
        String ranges = group.stream().map(r -> r.partition() + ":" + r.from() + ".." + r.until()).toList().toString();
        return out.stream().map(r -> r + "@" + ranges).iterator();
      }).collect();
      List<String> expected = new ArrayList<>();
      IntStream.range(100, 7_100).forEach(i -> expected.add(topic + "/0:" + i + "@[0:100..7100, 1:11990..12000]"));
      IntStream.range(11_990, 12_000).forEach(i -> expected.add(topic + "/1:" + i + "@[0:100..7100, 1:11990..12000]"));
      IntStream.range(3, 6).forEach(i -> expected.add(topic + "/1:" + i + "@[1:3..6]"));
      IntStream.range(7_100, 12_000).forEach(i -> expected.add(topic + "/0:" + i + "@[0:7100..12000]"));
      assertThat(read).containsExactlyElementsOf(expected);
      // A task that stops early (here: take) still ends, and its consumer is closed with the task, not leaked.
      // The values are the fetched records' own bytes, for the task to read (a buffer is not a Spark record to collect).
      assertThat(CommittedRangeReader.readGroups(jsc, groups.subList(0, 1), bootstrap, (group, records) -> values(records)).take(3))
          .containsExactly("0:100", "0:101", "0:102");
      // No group at all: one partition, which reads nothing.
      assertThat(CommittedRangeReader.<String>readGroups(jsc, List.of(List.of(new TopicRange(topic, 0, 5, 5))), bootstrap,
          (group, records) -> { throw new AssertionError("no group to read"); }).collect()).isEmpty();
    }
  }

  /** The records' values as text, one as each is asked for (so that a task that stops early reads no further). */
  private static java.util.Iterator<String> values(java.util.Iterator<org.apache.kafka.clients.consumer.ConsumerRecord<java.nio.ByteBuffer, java.nio.ByteBuffer>> records) {
    return new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public String next() {
        return StandardCharsets.UTF_8.decode(records.next().value()).toString();
      }
    };
  }
}
