package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdastack.batch.recompute.BatchViews;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.serving.ServingLayer;
import io.lambdastack.speed.job.SpeedLayerJob;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.speed.metrics.SpeedStatus;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.update.ViewUpdate;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.Tuple2;

/**
 * The first slice on real infrastructure: events → Kafka → speed layer (DStream, mapWithState, checkpoint
 * on hdfs://) → compacted topic → serving layer → HTTP. Asserts exact served values, out-of-order events
 * within the lateness, late events counted and kept out, unparseable records counted and skipped, and that
 * the batch layer computes the same buckets with the same code (plus the late event: the Lambda correction).
 */
@ExtendWith(SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpeedLayerEndToEndIT {
  static final String READINGS = "e2e-readings";
  static final String SPEED_VIEWS = "e2e-speed-views";
  static final long T0 = Instant.parse("2024-03-01T12:00:00Z").toEpochMilli();
  static final ViewCatalog VIEWS = ViewFile.parse("e2e", """
      views:
        - name: temps
          source: e2e-readings
          key: [sensorId]
          bucket: 10s
          lateness: 30s
          measures: [count, sum(temperature), min(temperature), max(temperature), mean(temperature),
                     distinct(site) as sites, quantiles(temperature)]
      """);

  static JavaStreamingContext ssc;
  static ServingLayer serving;
  static EventPublisher publisher;
  static final List<Event> accepted = new ArrayList<>();
  static final List<Event> late = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    var platform = SharedPlatform.get();
    SharedPlatform.createTopics(List.of(TopicSpec.of(READINGS, 3), TopicSpec.compacted(SPEED_VIEWS, 3)));
    serving = ServingLayer.start(platform.bootstrapServers(), SPEED_VIEWS, 0, VIEWS, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    ssc = SpeedLayerJob.getOrCreate(new SpeedLayerSettings(VIEWS, platform.bootstrapServers(), "e2e-speed", SPEED_VIEWS,
        platform.hdfsUri() + "/it/e2e/checkpoint", Duration.ofSeconds(1), platform.sparkConf())).context();
    ssc.start();
    publisher = new EventPublisher(platform.bootstrapServers(), "e2e-test");
  }

  @AfterAll
  static void stop() throws Exception {
    if (publisher != null) publisher.close();
    if (ssc != null) ssc.stop(true, false);
    if (serving != null) serving.close();
  }

  static Event reading(String sensor, long offsetMillis, double temperature) {
    return new Event(sensor + "@" + offsetMillis + "/" + temperature, T0 + offsetMillis,
        Map.of("sensorId", sensor, "site", sensor.equals("s1") ? "north" : "south"), Map.of("temperature", temperature));
  }

  static void send(Event... events) {
    for (Event e : events) {
      publisher.send(READINGS, e.attributes().get("sensorId"), e);
    }
    publisher.flush();
  }

  static JsonNode buckets(String key) {
    return Http.getJson(serving.url() + "/views/temps?key=" + key).get("buckets");
  }

  static JsonNode bucket(String key, long startOffset) {
    for (JsonNode b : buckets(key)) {
      if (b.get("startMs").asLong() == T0 + startOffset) {
        return b;
      }
    }
    return null;
  }

  static void assertBucket(String key, long startOffset, long bucketMillis) {
    List<Event> inBucket = accepted.stream().filter(e -> e.attributes().get("sensorId").equals(key)
        && e.eventTime() >= T0 + startOffset && e.eventTime() < T0 + startOffset + bucketMillis).toList();
    Expected x = Expected.of(inBucket, "temperature");
    JsonNode b = bucket(key, startOffset);
    assertThat(b).as("bucket %s@%d", key, startOffset).isNotNull();
    JsonNode m = b.get("measures");
    assertThat(b.get("layer").asText()).isEqualTo("speed");
    assertThat(b.get("events").asLong()).isEqualTo(x.count());
    assertThat(m.get("count").asLong()).isEqualTo(x.count());
    assertThat(m.get("sum_temperature").asDouble()).isEqualTo(x.sum());
    assertThat(m.get("min_temperature").asDouble()).isEqualTo(x.min());
    assertThat(m.get("max_temperature").asDouble()).isEqualTo(x.max());
    assertThat(m.get("mean_temperature").asDouble()).isEqualTo(x.mean());
    assertThat(m.get("sites").asLong()).isEqualTo(1);
    assertThat(m.get("quantiles_temperature").get("n").asLong()).isEqualTo(x.count());
    assertThat(m.get("quantiles_temperature").get("p50").asDouble()).isBetween(x.min(), x.max());
  }

  @Test
  @Order(1)
  void servesExactBucketsIncludingOutOfOrderEventsAndSkipsUnparseableRecords() {
    List<Event> phase1 = List.of(
        reading("s1", 1_000, 20.5), reading("s1", 15_000, 22.25),
        reading("s1", 5_000, 19.75), // out of order: after a later event of the same key
        reading("s1", 12_000, 21.0), reading("s1", 9_999, 18.5),
        reading("s2", 2_000, 10.0), reading("s2", 3_000, 12.5), reading("s2", 11_000, 11.25));
    long unparseableBefore = SpeedStatus.unparseable();
    send(phase1.toArray(Event[]::new));
    accepted.addAll(phase1);
    for (String bad : List.of("not json", "{\"id\":\"x\"}", "{\"id\":\"y\",\"ts\":\"soon\",\"sensorId\":\"s1\"}")) {
      publisher.sendRaw(READINGS, "s1", bad.getBytes(StandardCharsets.UTF_8));
    }
    publisher.flush();

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      assertBucket("s1", 0, 10_000);
      assertBucket("s1", 10_000, 10_000);
      assertBucket("s2", 0, 10_000);
      assertBucket("s2", 10_000, 10_000);
    });
    assertThat(buckets("s1")).hasSize(2);
    assertThat(Http.getJson(serving.url() + "/views/temps/keys").get("keys").toString()).isEqualTo("[\"s1\",\"s2\"]");
    await().atMost(Duration.ofSeconds(30)).until(() -> SpeedStatus.unparseable() - unparseableBefore == 3);
  }

  @Test
  @Order(2)
  void anOutOfOrderEventInALaterBatchWithinTheLatenessIsApplied() {
    Event e = reading("s1", 4_000, 23.0); // s1's watermark is T0+15s; bucket [T0, T0+10s) is open until T0+40s
    send(e);
    accepted.add(e);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertBucket("s1", 0, 10_000));
    assertThat(bucket("s1", 0).get("measures").get("count").asLong()).isEqualTo(4);
  }

  @Test
  @Order(3)
  void anEventLaterThanTheLatenessIsCountedAndKeptOutOfTheSpeedView() {
    Event ahead = reading("s1", 100_000, 25.0); // watermark → T0+100s closes [T0, T0+10s) (end + 30 s ≤ 100 s)
    send(ahead);
    accepted.add(ahead);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertBucket("s1", 100_000, 10_000));
    long lateBefore = SpeedStatus.latePerView().getOrDefault("temps", 0L);
    Event tooLate = reading("s1", 6_000, 99.0);
    send(tooLate);
    late.add(tooLate);
    await().atMost(Duration.ofSeconds(60)).until(() -> SpeedStatus.latePerView().getOrDefault("temps", 0L) - lateBefore == 1);
    assertBucket("s1", 0, 10_000); // unchanged: count 4, max 23.0
    assertThat(bucket("s1", 0).get("measures").get("max_temperature").asDouble()).isEqualTo(23.0);
  }

  @Test
  @Order(4)
  void theBatchLayerComputesTheSameBucketsWithTheSameCodePlusTheLateEvent() {
    JavaSparkContext jsc = ssc.sparkContext();
    List<Tuple2<String, Event>> all = new ArrayList<>();
    accepted.forEach(e -> all.add(new Tuple2<>(READINGS, e)));
    late.forEach(e -> all.add(new Tuple2<>(READINGS, e)));
    Map<String, ViewUpdate> batch = BatchViews.compute(jsc.parallelizePairs(all, 3), new ViewFold(VIEWS), 0).collect()
        .stream().collect(Collectors.toMap(u -> u.key() + "@" + (u.bucketStart() - T0), u -> u));
    assertThat(batch).containsOnlyKeys("s1@0", "s1@10000", "s1@100000", "s2@0", "s2@10000");
    for (Map.Entry<String, ViewUpdate> b : batch.entrySet()) {
      String key = b.getKey().split("@")[0];
      long start = Long.parseLong(b.getKey().split("@")[1]);
      JsonNode speed = bucket(key, start).get("measures");
      Map<String, Object> measures = b.getValue().measures();
      if (b.getKey().equals("s1@0")) {
        // The Lambda correction: the late event is in the batch view only.
        assertThat(measures.get("count")).isEqualTo(speed.get("count").asLong() + 1);
        assertThat(measures.get("max_temperature")).isEqualTo(99.0);
      } else {
        assertThat(measures.get("count")).isEqualTo(speed.get("count").asLong());
        assertThat(measures.get("sum_temperature")).isEqualTo(speed.get("sum_temperature").asDouble());
        assertThat(measures.get("mean_temperature")).isEqualTo(speed.get("mean_temperature").asDouble());
        assertThat(measures.get("min_temperature")).isEqualTo(speed.get("min_temperature").asDouble());
        assertThat(measures.get("max_temperature")).isEqualTo(speed.get("max_temperature").asDouble());
      }
    }
  }
}
