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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A batch whose output fails must not be committed, and nothing after it may be published or committed. Spark
 * runs a batch's next output operations even when one failed (the error only reaches awaitTermination), so
 * without the job's own bookkeeping the commit after the outputs would go through. Real broker and Spark: the
 * speed-view topic first refuses every record (max.message.bytes), then accepts them again.
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
  void aFailedPublishCommitsNothingAndStopsLaterBatchesFromPublishing() throws Exception {
    var platform = SharedPlatform.get();
    SharedPlatform.createTopics(List.of(TopicSpec.of(READINGS, 3), new TopicSpec(SPEED_VIEWS, 3, (short) 1,
        Map.of("cleanup.policy", "compact", "max.message.bytes", "64"))));
    SpeedLayerSettings settings = new SpeedLayerSettings(VIEWS, platform.bootstrapServers(), GROUP, SPEED_VIEWS,
        platform.hdfsUri() + "/it/fail/checkpoint", Duration.ofSeconds(1), platform.sparkConf());
    JavaStreamingContext ssc = SpeedLayerJob.getOrCreate(settings).context();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()));
        EventPublisher publisher = new EventPublisher(platform.bootstrapServers(), "fail-test")) {
      ssc.start();
      long batchesBefore = SpeedStatus.batches();
      for (int i = 0; i < 30; i++) {
        String sensor = "s" + (i % 3);
        publisher.send(READINGS, sensor, new Event("e" + i, T0 + i * 100L, Map.of("sensorId", sensor), Map.of("temperature", 20.0 + i)));
      }
      publisher.flush();

      // Every update is larger than 64 bytes: the producer's send fails, every attempt of the task, then the job.
      assertThatThrownBy(() -> ssc.awaitTerminationOrTimeout(120_000)).hasMessageContaining("publishing speed views to " + SPEED_VIEWS);

      // The topic accepts records again; later batches (with new events) run, but none may publish or commit.
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, SPEED_VIEWS),
          List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET)))).all().get();
      long failedAt = SpeedStatus.batches();
      publisher.send(READINGS, "s0", new Event("later", T0 + 5_000, Map.of("sensorId", "s0"), Map.of("temperature", 1.0)));
      publisher.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> SpeedStatus.batches() >= failedAt + 5);

      assertThat(batchesBefore).isLessThan(failedAt);
      assertThat(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()).as("committed offsets").isEmpty();
      Map<TopicPartition, OffsetSpec> ends = Map.of(new TopicPartition(SPEED_VIEWS, 0), OffsetSpec.latest(),
          new TopicPartition(SPEED_VIEWS, 1), OffsetSpec.latest(), new TopicPartition(SPEED_VIEWS, 2), OffsetSpec.latest());
      assertThat(admin.listOffsets(ends).all().get().values()).as("records in the speed-view topic")
          .allSatisfy(o -> assertThat(o.offset()).isZero());
    } finally {
      ssc.stop(true, false);
    }
    // A graceful stop commits the completed batches: there are none.
    assertThat(SpeedLayerJob.commitCompleted(settings)).isEmpty();
  }
}
