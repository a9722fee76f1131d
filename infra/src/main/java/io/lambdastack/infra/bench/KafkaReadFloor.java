package io.lambdastack.infra.bench;

import io.lambdastack.infra.platform.EmbeddedPlatform;
import io.lambdastack.speed.job.SpeedLayerJob;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
record KafkaReadFloor(EmbeddedPlatform platform, String topic, Duration interval, AtomicLong recordsRead) implements StepJob {
  KafkaReadFloor(EmbeddedPlatform platform, String topic, Duration interval) {
    this(platform, topic, interval, new AtomicLong());
  }

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
        ConsumerStrategies.<String, byte[]>Subscribe(List.of(topic),
            SpeedLayerJob.kafkaParams(platform.bootstrapServers(), "bench-read-floor-" + run))); // as the speed layer reads
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
      long batch = read.value() - before;
      recordsRead.addAndGet(batch); // what the tasks iterated, for the run's (and a test's) count
      if (batch != expected) {
        throw new IllegalStateException("the read floor read " + batch + " records of a batch of " + expected);
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
}
