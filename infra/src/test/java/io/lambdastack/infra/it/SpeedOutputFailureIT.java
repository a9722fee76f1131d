package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.speed.job.SpeedLayerJob;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.speed.metrics.SpeedStatus;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.update.ViewUpdate;
import io.lambdastack.view.update.ViewUpdateJson;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A batch whose output fails must not be committed; nothing after it may be published or committed; and a
 * restart from the checkpoint must run it again. Spark runs a batch's next output operations even when one failed
 * (the error only reaches awaitTermination) and counts a batch as done when its last output succeeds, so without
 * the job's own bookkeeping the commit would go through and the checkpoint would forget the batch. Real broker,
 * HDFS and Spark: the speed-view topic first refuses every record (max.message.bytes), then accepts them again.
 */
@ExtendWith(SharedPlatform.class)
class SpeedOutputFailureIT {
  static final String READINGS = "fail-readings";
  static final String SPEED_VIEWS = "fail-speed-views";
  static final String GROUP = "fail-speed";
  static final long T0 = Instant.parse("2024-03-01T12:00:00Z").toEpochMilli();
  static final ViewCatalog VIEWS = ViewFile.parse("fail", """
      views:
        - {name: temps, source: fail-readings, key: [sensorId], bucket: 10s, measures: [count, mean(temperature)]}
      """);

  @Test
  void aFailedPublishIsNeitherCommittedNorForgottenAndARestartRunsItAgain() throws Exception {
    var platform = SharedPlatform.get();
    SharedPlatform.createTopics(List.of(TopicSpec.of(READINGS, 3), new TopicSpec(SPEED_VIEWS, 3, (short) 1,
        Map.of("cleanup.policy", "compact", "max.message.bytes", "64"))));
    SpeedLayerSettings settings = new SpeedLayerSettings(VIEWS, platform.bootstrapServers(), GROUP, SPEED_VIEWS,
        platform.hdfsUri() + "/it/fail/checkpoint", Duration.ofSeconds(1), platform.sparkConf());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()));
        EventPublisher publisher = new EventPublisher(platform.bootstrapServers(), "fail-test")) {
      // In the log before the job starts, so its first batch carries them (an empty first batch would commit 0s).
      for (int i = 0; i < 30; i++) {
        String sensor = "s" + (i % 3);
        publisher.send(READINGS, sensor, new Event("e" + i, T0 + i * 100L, Map.of("sensorId", sensor), Map.of("temperature", 20.0 + i)));
      }
      publisher.flush();
      JavaStreamingContext ssc = SpeedLayerJob.getOrCreate(settings).context();
      try {
        ssc.start();
        // Every update is larger than 64 bytes: the producer's send fails, every attempt of the task, then the job.
        assertThatThrownBy(() -> ssc.awaitTerminationOrTimeout(120_000)).hasMessageContaining("publishing speed views to " + SPEED_VIEWS);

        // The topic accepts records again; later batches (with a new event) run, but none may publish or commit.
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, SPEED_VIEWS),
            List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET)))).all().get();
        long failedAt = SpeedStatus.batches();
        publisher.send(READINGS, "s0", new Event("later", T0 + 5_000, Map.of("sensorId", "s0"), Map.of("temperature", 1.0)));
        publisher.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> SpeedStatus.batches() >= failedAt + 5);
        assertThat(committed(admin).values()).as("committed offsets").allSatisfy(o -> assertThat(o.offset()).isZero());
        assertThat(records(admin, SPEED_VIEWS)).as("records in the speed-view topic").isZero();
      } finally {
        ssc.stop(true, false);
      }
      assertThat(SpeedLayerJob.commitCompleted(settings)).as("a stop commits the completed batches: none").isEmpty();

      // Restarted from the checkpoint, the job runs the failed batch and the refused ones again: every event counted once.
      SpeedLayerJob.Started again = SpeedLayerJob.getOrCreate(settings);
      assertThat(again.recovered()).isTrue();
      try {
        again.context().start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          assertThat(committed(admin).values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(31);
          assertThat(latestCounts()).isEqualTo(Map.of("s0", 11L, "s1", 10L, "s2", 10L));
        });
      } finally {
        again.context().stop(true, false);
      }
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin) throws Exception {
    return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
  }

  private static long records(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (int p = 0; p < 3; p++) {
      ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(ends).all().get().values().stream().mapToLong(o -> o.offset()).sum();
  }

  /** The last upsert of each sensor's bucket [T0, T0 + 10 s): its event count. */
  private static Map<String, Long> latestCounts() {
    Map<String, Long> counts = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedPlatform.get().bootstrapServers(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.of(new TopicPartition(SPEED_VIEWS, 0), new TopicPartition(SPEED_VIEWS, 1),
          new TopicPartition(SPEED_VIEWS, 2));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.currentTimeMillis() + 10_000;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          ViewUpdate u = ViewUpdateJson.parse(r.value());
          if (u.bucketStart() == T0) {
            counts.put(u.key(), u.events());
          }
        });
      }
    }
    return counts;
  }
}
