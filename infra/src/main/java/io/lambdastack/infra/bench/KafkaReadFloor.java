package io.lambdastack.infra.bench;

import io.lambdastack.infra.platform.EmbeddedPlatform;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.util.LongAccumulator;

/**
 * How long reading takes on its own: Spark's own Kafka direct stream ({@code KafkaUtils.createDirectStream},
 * spark-streaming-kafka-0-10) on local[2], every record of every batch handed to the task and nothing else done with
 * it (no parsing, no shuffle, no state, no output). It tells how much of a batch reading a given rate leaves to
 * everything else. It is not a strict bound for the speed layer, which reads the same ranges with
 * {@code CommittedRangeReader} in tasks of equal size (two a core, where the Kafka RDD runs one a partition), and
 * whose reading can overlap with parsing where the floor's tasks wait on the broker.
 *
 * <p>{@code rdd.count()} would not do: the Kafka RDD answers it from its offset ranges without reading. Each task
 * iterates its records and adds them to an accumulator, and each batch checks that it read exactly its ranges (a
 * batch that did not fails its output, which {@link BatchTimes#requireNoFailure} turns into a failed benchmark).
 */
record KafkaReadFloor(EmbeddedPlatform platform, String topic, Duration interval) implements StepJob {
  @Override
  public JavaStreamingContext start(String run, Map<String, String> conf, BatchTimes times) {
    Map<String, String> spark = new LinkedHashMap<>(platform.sparkConf());
    spark.put("spark.master", "local[2]");
    spark.put("spark.locality.wait", "0s"); // as the speed layer sets it in local mode
    spark.putAll(conf);
    SparkConf sparkConf = new SparkConf().setAppName("bench-kafka-read-floor");
    spark.forEach(sparkConf::set);
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf, Durations.milliseconds(interval.toMillis()));
    JavaInputDStream<ConsumerRecord<String, byte[]>> stream = KafkaUtils.createDirectStream(ssc, LocationStrategies.PreferConsistent(),
        ConsumerStrategies.<String, byte[]>Subscribe(List.of(topic), kafkaParams("bench-read-floor-" + run)));
    LongAccumulator read = ssc.sparkContext().sc().longAccumulator("records read");
    stream.foreachRDD(rdd -> {
      OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
      long expected = Arrays.stream(ranges).mapToLong(OffsetRange::count).sum();
      long before = read.value();
      rdd.foreachPartition(records -> {
        long n = 0;
        long bytes = 0; // touch each value, as a parser would
        while (records.hasNext()) {
          bytes += records.next().value().length;
          n++;
        }
        read.add(bytes < 0 ? 0 : n);
      });
      if (read.value() - before != expected) {
        throw new IllegalStateException("the read floor read " + (read.value() - before) + " records of a batch of " + expected);
      }
    });
    ssc.addStreamingListener(times);
    ssc.start();
    return ssc;
  }

  @Override
  public long intervalMs() {
    return interval.toMillis();
  }

  /** As the speed layer's: read_committed, from the earliest offset of a fresh group, no auto commit. */
  private Map<String, Object> kafkaParams(String group) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }
}
