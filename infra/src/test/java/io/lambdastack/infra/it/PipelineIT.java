package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.ingestion.validation.IngestReport;
import io.lambdastack.ingestion.validation.Validator;
import io.lambdastack.ingestion.validation.ValidatorSettings;
import io.lambdastack.serving.ServingLayer;
import io.lambdastack.speed.job.SpeedLayerJob;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * raw → exactly-once validator → clean (a transactional topic) → speed layer → serving. The producer then
 * stops: the last micro-batch's offset range ends on a transaction marker with no newer record behind it,
 * which Spark's own DStream Kafka iterator cannot read (it waits for a record that never comes, then fails).
 * Every valid event must still be served, exactly, and the speed layer must stop gracefully.
 */
@ExtendWith(SharedPlatform.class)
class PipelineIT {
  static final long T0 = Instant.parse("2024-07-01T00:00:00Z").toEpochMilli();

  @Test
  void everyValidEventIsServedAfterTheProducerStops() throws Exception {
    String bootstrap = SharedPlatform.get().bootstrapServers();
    Path state = Files.createTempDirectory(Path.of("target"), "pipeline-it-").toAbsolutePath();
    ValidatorSettings v = new ValidatorSettings("pipeline-validator", bootstrap, "p-raw", "p-clean", "p-dead-letter",
        "p-duplicates", 65536, Duration.ofHours(1), state.resolve("validator").toString());
    SharedPlatform.createTopics(List.of(TopicSpec.of(v.rawTopic(), 3), TopicSpec.of(v.cleanTopic(), 3),
        TopicSpec.of(v.deadLetterTopic(), 3), TopicSpec.of(v.duplicatesTopic(), 3), TopicSpec.compacted("p-speed-views", 3)));
    ViewCatalog views = ViewFile.parse("pipeline", """
        views:
          - name: per_sensor
            source: p-clean
            key: [sensorId]
            bucket: 1m
            lateness: 1h
            measures: [count, sum(temperature)]
        """);
    JavaStreamingContext ssc = null;
    try (Validator validator = Validator.start(v, Duration.ofSeconds(60));
        ServingLayer serving = ServingLayer.start(bootstrap, "p-speed-views", 0, views, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        EventPublisher publisher = new EventPublisher(bootstrap, "pipeline-it")) {
      SpeedLayerSettings settings = new SpeedLayerSettings(views, bootstrap, "pipeline-speed", "p-speed-views",
          SharedPlatform.get().hdfsUri() + "/it/pipeline/checkpoint", Duration.ofSeconds(1), SharedPlatform.get().sparkConf());
      ssc = SpeedLayerJob.getOrCreate(settings).context();
      ssc.start();

      int good = 0;
      double sum = 0;
      for (int i = 0; i < 2000; i++) {
        Event e = new Event("p" + i, T0 + i * 10L, Map.of("sensorId", "s" + (i % 4)), Map.of("temperature", (i % 9) * 0.5));
        publisher.send(v.rawTopic(), "s" + (i % 4), e);
        good++;
        sum += (i % 9) * 0.5;
        if (i % 100 == 0) {
          publisher.sendRaw(v.rawTopic(), "s0", "{broken".getBytes(StandardCharsets.UTF_8));
        }
        if (i % 500 == 0) {
          Thread.sleep(300); // several validator transactions, several micro-batches
        }
      }
      publisher.flush(); // the producer stops here: the tail of the clean topic is a transaction marker
      int expectedCount = good;
      double expectedSum = sum;
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        long count = 0;
        double total = 0;
        for (int s = 0; s < 4; s++) {
          for (JsonNode b : Http.getJson(serving.url() + "/views/per_sensor?key=s" + s).get("buckets")) {
            count += b.get("measures").get("count").asLong();
            total += b.get("measures").get("sum_temperature").asDouble();
          }
        }
        assertThat(count).isEqualTo(expectedCount);
        assertThat(total).isEqualTo(expectedSum);
      });
      IngestReport.Counts c = IngestReport.count(bootstrap, v);
      assertThat(c.raw()).isEqualTo(2000 + 20);
      assertThat(c.clean()).isEqualTo(2000);
      assertThat(c.deadLetter()).isEqualTo(20);
      assertThat(c.reconciles()).isTrue();

      long t0 = System.nanoTime();
      ssc.stop(true, true); // graceful: must not wait for a record behind the last marker
      ssc = null;
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));

      // A graceful stop commits the last batch's offsets too (SPARK-20050): the group is at the end.
      SpeedLayerJob.commitCompleted(settings);
      try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
          Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        var committed = admin.listConsumerGroupOffsets("pipeline-speed").partitionsToOffsetAndMetadata().get();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < 3; p++) {
          latest.put(new org.apache.kafka.common.TopicPartition(v.cleanTopic(), p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        for (var e : admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
            org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get().entrySet()) {
          assertThat(committed.get(e.getKey())).as("committed offset of " + e.getKey()).isNotNull();
          assertThat(committed.get(e.getKey()).offset()).as(e.getKey().toString()).isEqualTo(e.getValue().offset());
        }
      }
    } finally {
      if (ssc != null) {
        ssc.stop(true, false);
      }
    }
  }
}
