package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.serving.ServingLayer;
import io.lambdastack.speed.SpeedLayerApp;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kill -9 of the speed layer mid-stream, restart with {@code JavaStreamingContext.getOrCreate} from the HDFS
 * checkpoint, more events: every served bucket is exact (nothing lost, nothing counted twice). The speed
 * layer runs as its own JVM ({@link SpeedLayerApp}, the spark-submit main), so the kill is a real one.
 */
@ExtendWith(SharedPlatform.class)
class SpeedLayerRecoveryIT {
  static final String READINGS = "recovery-readings";
  static final String SPEED_VIEWS = "recovery-speed-views";
  static final long T0 = Instant.parse("2024-05-01T00:00:00Z").toEpochMilli();
  static final String VIEW_FILE = """
      views:
        - name: counts
          source: recovery-readings
          key: [sensorId]
          bucket: 10s
          lateness: 1h
          measures: [count, sum(temperature), min(temperature), max(temperature), mean(temperature)]
      """;
  static final int SENSORS = 10;

  static ServingLayer serving;
  static EventPublisher publisher;
  static final List<Event> sent = new ArrayList<>();
  static Path work;

  @BeforeAll
  static void start() throws Exception {
    SharedPlatform.createTopics(List.of(TopicSpec.of(READINGS, 3), TopicSpec.compacted(SPEED_VIEWS, 3)));
    ViewCatalog views = ViewFile.parse("recovery", VIEW_FILE);
    serving = ServingLayer.start(SharedPlatform.get().bootstrapServers(), SPEED_VIEWS, 0, views,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    publisher = new EventPublisher(SharedPlatform.get().bootstrapServers(), "recovery-test");
    work = Files.createTempDirectory(Path.of("target"), "recovery-it-").toAbsolutePath();
    Files.writeString(work.resolve("views.yaml"), VIEW_FILE);
  }

  @AfterAll
  static void stop() throws Exception {
    if (publisher != null) publisher.close();
    if (serving != null) serving.close();
  }

  static ChildJvm speedLayer(String name) throws Exception {
    List<String> args = new ArrayList<>(List.of("--views", work.resolve("views.yaml").toString(),
        "--bootstrap-servers", SharedPlatform.get().bootstrapServers(),
        "--checkpoint", SharedPlatform.get().hdfsUri() + "/it/recovery/checkpoint",
        "--output-topic", SPEED_VIEWS, "--group-id", "recovery-speed", "--batch-interval", "1s"));
    SharedPlatform.get().sparkConf().forEach((k, v) -> {
      args.add("--conf");
      args.add(k + "=" + (k.equals("spark.master") ? "local[2,4]" : v));
    });
    // At most 3 partitions x 200 events per 1 s batch: a burst of 3000 takes about 5 batches, so the kill
    // below provably lands while the burst is half-way through.
    args.addAll(List.of("--conf", "spark.streaming.kafka.maxRatePerPartition=200"));
    return ChildJvm.start(work.resolve(name + ".log"), SpeedLayerApp.class.getName(), args);
  }

  /** Events i in [from, to): sensor i % 10, 20 ms apart (6 buckets of 10 s per 3000), temperatures in quarters. */
  static void produce(int from, int to) {
    for (int i = from; i < to; i++) {
      String sensor = "s" + (i % SENSORS);
      Event e = new Event("r" + i, T0 + i * 20L, Map.of("sensorId", sensor), Map.of("temperature", (i % 17) * 0.25 - 1));
      publisher.send(READINGS, sensor, e);
      sent.add(e);
    }
    publisher.flush();
  }

  static long servedTotal() {
    long total = 0;
    for (int s = 0; s < SENSORS; s++) {
      for (JsonNode b : Http.getJson(serving.url() + "/views/counts?key=s" + s).get("buckets")) {
        total += b.get("measures").get("count").asLong();
      }
    }
    return total;
  }

  /** Asserts every (sensor, bucket) served equals the expectation over everything sent. */
  static void assertExact() {
    Map<String, List<Event>> cells = sent.stream().collect(Collectors.groupingBy(
        e -> e.attributes().get("sensorId") + "@" + Math.floorDiv(e.eventTime() - T0, 10_000) * 10_000, TreeMap::new, Collectors.toList()));
    Map<String, JsonNode> served = new TreeMap<>();
    for (int s = 0; s < SENSORS; s++) {
      for (JsonNode b : Http.getJson(serving.url() + "/views/counts?key=s" + s).get("buckets")) {
        served.put("s" + s + "@" + (b.get("startMs").asLong() - T0), b.get("measures"));
      }
    }
    assertThat(served.keySet()).isEqualTo(cells.keySet());
    cells.forEach((cell, events) -> {
      Expected x = Expected.of(events, "temperature");
      JsonNode m = served.get(cell);
      assertThat(m.get("count").asLong()).as(cell + " count").isEqualTo(x.count());
      assertThat(m.get("sum_temperature").asDouble()).as(cell + " sum").isEqualTo(x.sum());
      assertThat(m.get("min_temperature").asDouble()).as(cell + " min").isEqualTo(x.min());
      assertThat(m.get("max_temperature").asDouble()).as(cell + " max").isEqualTo(x.max());
      assertThat(m.get("mean_temperature").asDouble()).as(cell + " mean").isEqualTo(x.mean());
    });
  }

  @Test
  void exactViewsAfterKill9AndRecoveryFromTheHdfsCheckpoint() throws Exception {
    try (ChildJvm first = speedLayer("speed-1")) {
      await().atMost(Duration.ofSeconds(120)).until(() -> first.output().contains("speed layer running") || !first.isAlive());
      assertThat(first.output()).contains("(fresh start)");
      produce(0, 3000);
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(SpeedLayerRecoveryIT::assertExact);

      produce(3000, 6000);
      // kill -9 once part, but not all, of the second burst is served: mid-stream by construction
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        long served = servedTotal();
        return served > 3000 && served < 6000;
      });
      first.kill9();
      long servedAtKill = servedTotal();
      assertThat(servedAtKill).isBetween(3001L, 5999L);
      assertThat(first.isAlive()).isFalse();
    }

    produce(6000, 7000); // arrives while no speed layer runs
    try (ChildJvm second = speedLayer("speed-2")) {
      await().atMost(Duration.ofSeconds(120)).until(() -> second.output().contains("speed layer running") || !second.isAlive());
      assertThat(second.output()).contains("(recovered from checkpoint)");
      produce(7000, 9000);
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(SpeedLayerRecoveryIT::assertExact);
      assertThat(sent).hasSize(9000);
      Integer exit = second.terminate(Duration.ofSeconds(30));
      assertThat(exit).as("graceful stop on SIGTERM within 30 s; output:\n" + second.output()).isEqualTo(0);
      assertThat(second.output()).contains("stopping on SIGTERM").contains("speed layer stopped")
          .containsPattern("committed offsets of the last batches: \\{recovery-readings-\\d=\\d+");
    }
  }
}
