package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.serving.ServingLayer;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code spark-submit --class io.lambdastack.speed.SpeedLayerApp speed-layer-*-spark-submit.jar ...} in local
 * mode, as the README shows, run by Spark's own {@code org.apache.spark.deploy.SparkSubmit}. Its classpath is
 * what a Spark distribution holds (Spark, Scala, Hadoop client and their libraries, no Kafka, none of our
 * code), so the jar must bring everything else. The job must compute exact views and stop on SIGTERM.
 */
@ExtendWith(SharedPlatform.class)
class SparkSubmitIT {
  /** Not in a Spark distribution's jars/: our modules, Kafka, the Kafka connector, our libraries, test tools. */
  static final Pattern NOT_IN_SPARK = Pattern.compile(".*(/lambdastack|/org/apache/kafka/|spark-streaming-kafka|spark-sql-kafka|spark-token-provider-kafka"
      + "|/info/picocli/|/io/micrometer/|/org/hdrhistogram/|/org/latencyutils/|/io/prometheus/|hadoop-client-minicluster|/net/jqwik/"
      + "|/org/junit/|/org/opentest4j/|/org/apiguardian/|/org/assertj/|/org/awaitility/|/org/hamcrest/|/org/apache/maven/|surefire|failsafe"
      + "|target/(test-)?classes).*");

  /** This checkout (infra's parent): its modules' jars and classes are ours, wherever it was cloned. */
  static final String REPO = Path.of("..").toAbsolutePath().normalize().toString();

  static String sparkDistributionClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Path.of(e).toAbsolutePath().normalize().startsWith(REPO))
        .filter(e -> !NOT_IN_SPARK.matcher(e.replace('\\', '/')).matches())
        .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
  }

  static Path submitJar() throws IOException {
    return submitJar("speed-layer");
  }

  static Path submitJar(String module) throws IOException {
    try (var files = Files.list(Path.of("../" + module + "/target"))) {
      return files.filter(f -> f.getFileName().toString().endsWith("-spark-submit.jar")).findFirst()
          .orElseThrow(() -> new AssertionError(module + "/target/*-spark-submit.jar missing: run the package phase"))
          .toAbsolutePath().normalize();
    }
  }

  @Test
  void theBatchLayerJarArchivesRecomputesAndPublishesUnderSparkSubmit() throws Exception {
    String bootstrap = SharedPlatform.get().bootstrapServers();
    SharedPlatform.createTopics(List.of(TopicSpec.of("submit-batch-readings", 3)));
    Path work = Files.createTempDirectory(Path.of("target"), "spark-submit-batch-it-").toAbsolutePath();
    Files.writeString(work.resolve("views.yaml"), """
        views:
          - name: submitted_batch
            source: submit-batch-readings
            key: [sensorId]
            bucket: 1m
            measures: [count, sum(temperature), distinct(site)]
        """);
    long t0 = Instant.parse("2024-08-02T00:00:00Z").toEpochMilli();
    try (EventPublisher publisher = new EventPublisher(bootstrap, "spark-submit-batch-it")) {
      for (int i = 0; i < 600; i++) {
        publisher.send("submit-batch-readings", "s" + (i % 3), new Event("b" + i, t0 + i * 1000L,
            Map.of("sensorId", "s" + (i % 3), "site", "north"), Map.of("temperature", 0.25)));
      }
      publisher.flush();
    }
    String hdfs = SharedPlatform.get().hdfsUri();
    List<String> submitArgs = List.of("--master", "local[2]", "--class", "io.lambdastack.batch.cli.BatchApp",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.hadoop.dfs.replication=1",
        submitJar("batch-layer").toString(),
        "run", "--views", work.resolve("views.yaml").toString(), "--bootstrap-servers", bootstrap,
        "--master-dataset", hdfs + "/it/spark-submit/master", "--snapshots", hdfs + "/it/spark-submit/batch-views");
    ChildJvm submit = ChildJvm.start(work.resolve("spark-submit.log"), sparkDistributionClasspath(),
        "org.apache.spark.deploy.SparkSubmit", submitArgs, Map.of("SPARK_SCALA_VERSION", "2.12"));
    try {
      await().atMost(Duration.ofSeconds(150)).until(() -> !submit.isAlive());
      assertThat(submit.exitValue()).as(log(work)).isZero();
      assertThat(log(work)).contains("archive submit-batch-readings: run-000001, 600 events (0 rejected) from ")
          .contains("recompute: published v000001, 600 events");
      // The published version as a reader finds it on HDFS (the log interleaves Spark's lines with ours).
      var store = new io.lambdastack.batch.snapshot.SnapshotStore(org.apache.hadoop.fs.FileSystem.get(
          java.net.URI.create(hdfs), new org.apache.hadoop.conf.Configuration()), hdfs + "/it/spark-submit/batch-views");
      assertThat(store.latest()).hasValue(1);
      var view = store.manifest(1).orElseThrow().views().get("submitted_batch");
      assertThat(view.horizonIso()).isEqualTo("2024-08-02T00:09:00Z");
      assertThat(view.buckets()).isEqualTo(30);
      assertThat(view.events()).isEqualTo(600);
      assertThat(view.lateEvents()).isZero();
    } finally {
      submit.close();
    }
  }

  @Test
  void theSpeedLayerJarRunsUnderSparkSubmitWithExactViews() throws Exception {
    String bootstrap = SharedPlatform.get().bootstrapServers();
    SharedPlatform.createTopics(List.of(TopicSpec.of("submit-readings", 3), TopicSpec.compacted("submit-speed-views", 3)));
    Path work = Files.createTempDirectory(Path.of("target"), "spark-submit-it-").toAbsolutePath();
    String viewFile = """
        views:
          - name: submitted
            source: submit-readings
            key: [sensorId]
            bucket: 1m
            lateness: 1h
            measures: [count, sum(temperature)]
        """;
    Files.writeString(work.resolve("views.yaml"), viewFile);
    assertThat(sparkDistributionClasspath()).doesNotContain("kafka-clients").doesNotContain(REPO).doesNotContain("picocli");

    List<String> submitArgs = List.of("--master", "local[2]", "--class", "io.lambdastack.speed.SpeedLayerApp",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.hadoop.dfs.replication=1",
        submitJar().toString(),
        "--views", work.resolve("views.yaml").toString(), "--bootstrap-servers", bootstrap,
        "--checkpoint", SharedPlatform.get().hdfsUri() + "/it/spark-submit/checkpoint", "--output-topic", "submit-speed-views",
        "--group-id", "submit-speed", "--metrics-port", "-1");
    ChildJvm submit = ChildJvm.start(work.resolve("spark-submit.log"), sparkDistributionClasspath(),
        "org.apache.spark.deploy.SparkSubmit", submitArgs, Map.of("SPARK_SCALA_VERSION", "2.12"));
    try (ServingLayer serving = ServingLayer.start(bootstrap, "submit-speed-views", 0, ViewFile.parse("s", viewFile),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        EventPublisher publisher = new EventPublisher(bootstrap, "spark-submit-it")) {
      await().atMost(Duration.ofSeconds(120)).until(() -> log(work).contains("speed layer running") || !submit.isAlive());
      assertThat(log(work)).contains("(fresh start)");
      long t0 = Instant.parse("2024-08-01T00:00:00Z").toEpochMilli();
      for (int i = 0; i < 1000; i++) {
        publisher.send("submit-readings", "s" + (i % 5), new Event("e" + i, t0 + i * 100L, Map.of("sensorId", "s" + (i % 5)),
            Map.of("temperature", 0.5)));
      }
      publisher.flush();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        long count = 0;
        double sum = 0;
        for (int s = 0; s < 5; s++) {
          for (JsonNode b : Http.getJson(serving.url() + "/views/submitted?key=s" + s).get("buckets")) {
            count += b.get("measures").get("count").asLong();
            sum += b.get("measures").get("sum_temperature").asDouble();
          }
        }
        assertThat(count).isEqualTo(1000);
        assertThat(sum).isEqualTo(500.0);
      });
      // Spark's StreamingListener view of the batches, in Prometheus format on the job's own port.
      java.util.regex.Matcher url = Pattern.compile("metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)").matcher(log(work));
      assertThat(url.find()).as(log(work)).isTrue();
      String metrics = new String(java.net.URI.create(url.group(1)).toURL().openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(metrics).contains("lambda_speed_processing_delay_ms ").contains("lambda_speed_scheduling_delay_ms ")
          .contains("lambda_speed_batch_records ").containsPattern("lambda_speed_events_total 1000\\.0")
          .containsPattern("lambda_speed_batches_total [1-9]");
      assertThat(submit.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM:\n" + log(work)).isEqualTo(0);
      assertThat(log(work)).contains("committed offsets of the last batches").contains("speed layer stopped");
    } finally {
      submit.close();
    }
  }

  static String log(Path work) throws IOException {
    Path f = work.resolve("spark-submit.log");
    return Files.exists(f) ? Files.readString(f) : "";
  }
}
