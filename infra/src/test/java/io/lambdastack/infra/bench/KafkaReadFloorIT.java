package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lambdastack.infra.it.SharedPlatform;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The speed benchmark's read floor on a real broker: Spark's own direct stream, throttled by maxRatePerPartition as
 * the benchmark's steps are, reads every record once, batch after batch (each batch checks it read exactly its
 * offset ranges, or fails the job).
 */
@ExtendWith(SharedPlatform.class)
class KafkaReadFloorIT {
  @Test
  void readsEveryRecordOnceInBatchesOfTheRateSet() throws Exception {
    String topic = "read-floor-it";
    SharedPlatform.createTopics(List.of(TopicSpec.of(topic, 3)));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedPlatform.get().bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 3_000; i++) {
        producer.send(new ProducerRecord<>(topic, i % 3, "k", ("{\"n\":" + i + "}").getBytes())).get();
      }
    }
    BatchTimes times = new BatchTimes();
    KafkaReadFloor floor = new KafkaReadFloor(SharedPlatform.get(), topic, Duration.ofMillis(500));
    JavaStreamingContext ssc = floor.start("it", Map.of("spark.streaming.kafka.maxRatePerPartition", "800"), times);
    try {
      // 800 records/s per partition at 500 ms a batch: 400 per partition, so 1,200, 1,200, 600, then empty batches.
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> read(times) >= 3_000 && times.count() >= 4);
      // A batch whose tasks did not read exactly its ranges fails its job, and the context reports it here.
      assertThat(ssc.awaitTerminationOrTimeout(100)).as("still running, no failed batch").isFalse();
    } finally {
      ssc.stop(true, false);
    }
    times.requireNoFailure();
    assertThat(floor.recordsRead()).as("records the tasks iterated, not just the ranges' sizes").hasValue(3_000);
    assertThat(read(times)).isEqualTo(3_000);
    assertThat(times.completed().stream().map(BatchTimes.Batch::records).filter(n -> n > 0).toList()).containsExactly(1_200L, 1_200L, 600L);
  }

  /**
   * A step of the benchmark's search on real Spark and a real broker reports where the JVM's CPU went while its batches
   * were measured ({@link ThreadCpu}): Spark's tasks among the threads, and the whole JVM at least as much as them.
   */
  @Test
  void aStepReportsTheJvmsCpuByKindOfThread() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
    String topic = "read-floor-cpu-it";
    SharedPlatform.createTopics(List.of(TopicSpec.of(topic, 3)));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedPlatform.get().bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 120_000; i++) {
        producer.send(new ProducerRecord<>(topic, i % 3, "k", ("{\"n\":" + i + "}").getBytes()));
      }
      producer.flush();
    }
    KafkaReadFloor floor = new KafkaReadFloor(SharedPlatform.get(), topic, Duration.ofMillis(500));
    // 30,000 records/s (15,000 a batch) for 1 + 4 batches: one step, kept up, at the cap.
    SustainableRate.Result result = new SustainableRate(floor, "it-cpu", 3, 1, 4, 30_000).search(30_000, 0);

    SustainableRate.Step step = result.steps().get(0);
    assertThat(step.sustained()).isTrue();
    ThreadCpu.Shares cpu = step.cpu();
    assertThat(cpu.percentOfACore()).containsKey(ThreadCpu.Kind.TASKS);
    double threads = cpu.percentOfACore().values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(cpu.processPercent()).as("the whole JVM, threads that ended included").isGreaterThan(threads - 5);
  }

  private static long read(BatchTimes times) {
    return times.completed().stream().mapToLong(BatchTimes.Batch::records).sum();
  }
}
