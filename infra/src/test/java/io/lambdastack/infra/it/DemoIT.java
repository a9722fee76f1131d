package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdastack.infra.cli.LambdaCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code lambda demo} as a user runs it (its own JVM, its own embedded Kafka and HDFS): prints the URL, serves
 * data within 60 s of start, stops gracefully on SIGTERM within 30 s, and a second run resumes from the state
 * directory (the speed layer recovers from its HDFS checkpoint, the served views survive).
 */
class DemoIT {
  static final Pattern URL = Pattern.compile("Serving at (http://127\\.0\\.0\\.1:\\d+)");

  @Test
  void demoServesDataStopsGracefullyAndResumes() throws Exception {
    Path state = Files.createTempDirectory(Path.of("target"), "demo-it-").toAbsolutePath();
    Map<String, String> env = PlatformPorts.env();
    List<String> args = List.of("demo", "--state-dir", state.resolve("state").toString(), "--views",
        Path.of("../config/views.yaml").toAbsolutePath().toString(), "--rate", "100", "--sensors", "5");

    String firstKey;
    Map<Long, Long> firstRun = new java.util.TreeMap<>();
    try (ChildJvm demo = ChildJvm.start(state.resolve("run-1.log"), LambdaCli.class.getName(), args, env)) {
      long started = System.nanoTime();
      String url = awaitUrl(demo);
      await().atMost(Duration.ofSeconds(60).minusNanos(System.nanoTime() - started)).pollInterval(Duration.ofMillis(500))
          .until(() -> Http.getJson(url + "/views/temperature_by_sensor/keys").get("keys").size() == 5);
      firstKey = Http.getJson(url + "/views/temperature_by_sensor/keys").get("keys").get(0).asText();
      JsonNode buckets = Http.getJson(url + "/views/temperature_by_sensor?key=" + firstKey).get("buckets");
      assertThat(buckets).isNotEmpty();
      assertThat(buckets.get(0).get("measures").get("count").asLong()).isPositive();
      assertThat(buckets.get(0).get("layer").asText()).isEqualTo("speed");
      assertThat(demo.output()).contains("speed layer started fresh");
      Thread.sleep(3000);
      String metrics = new String(java.net.URI.create(url + "/metrics").toURL().openStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(metrics).containsPattern("lambda_speed_batches_total [1-9]").contains("lambda_speed_processing_delay_ms ")
          .containsPattern("lambda_serving_speed_updates_applied_total [1-9]");
      for (JsonNode b : Http.getJson(url + "/views/temperature_by_sensor?key=" + firstKey).get("buckets")) {
        firstRun.put(b.get("startMs").asLong(), b.get("measures").get("count").asLong());
      }

      assertThat(demo.terminate(Duration.ofSeconds(30))).as("exit code within 30 s of SIGTERM; output:\n" + demo.output()).isEqualTo(0);
      assertThat(demo.output()).contains("stopping on SIGTERM").containsPattern("stopped in \\d+ ms");
    }

    try (ChildJvm again = ChildJvm.start(state.resolve("run-2.log"), LambdaCli.class.getName(), args, env)) {
      String url = awaitUrl(again);
      assertThat(again.output()).contains("speed layer recovered from its checkpoint");
      // Every bucket of the first run is served again (rebuilt from the compacted topic) with at least its count
      // (the bucket open at the stop goes on from the checkpointed state), and new buckets arrive. Generous: a
      // recovered job first runs one batch per interval of the downtime (about 50 here: the stop, then the
      // start-up), and on a slow phase of a 2-core machine that once took more than 60 s.
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Map<Long, Long> now = new java.util.TreeMap<>();
        for (JsonNode b : Http.getJson(url + "/views/temperature_by_sensor?key=" + firstKey).get("buckets")) {
          now.put(b.get("startMs").asLong(), b.get("measures").get("count").asLong());
        }
        firstRun.forEach((start, count) -> assertThat(now.get(start)).as("bucket " + start).isNotNull().isGreaterThanOrEqualTo(count));
        assertThat(now.keySet().stream().filter(k -> !firstRun.containsKey(k))).as("new buckets").isNotEmpty();
      });
      assertThat(again.terminate(Duration.ofSeconds(30))).isEqualTo(0);
    }
  }

  private static String awaitUrl(ChildJvm demo) {
    await().atMost(Duration.ofSeconds(120)).until(() -> URL.matcher(demo.output()).find() || !demo.isAlive());
    Matcher m = URL.matcher(demo.output());
    assertThat(m.find()).as("demo output:\n" + demo.output()).isTrue();
    return m.group(1);
  }
}
