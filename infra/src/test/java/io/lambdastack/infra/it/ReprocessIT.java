package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.batch.archive.Archiver;
import io.lambdastack.batch.archive.MasterDataset;
import io.lambdastack.batch.recompute.BatchRecompute;
import io.lambdastack.batch.recompute.DateRange;
import io.lambdastack.batch.snapshot.Manifest;
import io.lambdastack.batch.snapshot.SnapshotStore;
import io.lambdastack.infra.cli.LambdaCli;
import io.lambdastack.infra.kappa.Reprocess;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lambda against Kappa on the same log: the batch recompute (archive → master dataset → shared fold) and a
 * reprocess (the log replayed from the earliest offset through the speed layer's job into a new topic)
 * agree bucket for bucket on on-time data; once late events arrive, they differ exactly by those events,
 * which only the batch layer includes.
 */
@ExtendWith(SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReprocessIT {
  static final String TOPIC = "kappa-readings";
  static final long T0 = Instant.parse("2024-05-01T08:00:00Z").toEpochMilli();
  static final String YAML = """
      views:
        - name: kappa_temps
          source: kappa-readings
          key: [sensorId]
          bucket: 1m
          lateness: 1m
          measures: [count, sum(temperature), min(temperature), max(temperature), mean(temperature),
                     distinct(site) as sites, quantiles(temperature)]
      """;
  static final ViewCatalog VIEWS = ViewFile.parse("kappa-it", YAML);
  static String snapshots;
  static long sent;

  @BeforeAll
  static void start() throws Exception {
    SharedPlatform.createTopics(List.of(TopicSpec.of(TOPIC, 3)));
    snapshots = SharedPlatform.get().hdfsUri() + "/it/kappa/views";
  }

  static void send(List<Event> events) {
    try (EventPublisher publisher = new EventPublisher(SharedPlatform.get().bootstrapServers(), "kappa-it")) {
      for (Event e : events) {
        publisher.send(TOPIC, e.attributes().get("sensorId"), e);
      }
      publisher.flush();
    }
    sent += events.size();
  }

  static Event reading(int sensor, long offsetMillis, double temperature) {
    return new Event("k-" + sensor + "-" + offsetMillis + "-" + temperature, T0 + offsetMillis,
        Map.of("sensorId", "s" + sensor, "site", sensor < 2 ? "north" : "south"), Map.of("temperature", temperature));
  }

  /** Archive and recompute with the batch layer, then release Spark (the reprocess starts its own context). */
  static Manifest batch() {
    SparkConf conf = new SparkConf().setAppName("kappa-it-batch");
    SharedPlatform.get().sparkConf().forEach(conf::set);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      MasterDataset dataset = new MasterDataset(SharedPlatform.get().hdfsUri() + "/it/kappa/master");
      new Archiver(spark, dataset, SharedPlatform.get().bootstrapServers(), 100_000).archive(TOPIC);
      FileSystem fs = FileSystem.get(URI.create(snapshots), spark.sparkContext().hadoopConfiguration());
      return new BatchRecompute(spark, VIEWS, dataset, new SnapshotStore(fs, snapshots), 3).run(DateRange.ALL);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      spark.stop();
    }
  }

  static Reprocess.Result reprocess() throws InterruptedException {
    Map<String, String> conf = new LinkedHashMap<>(SharedPlatform.get().sparkConf());
    conf.put("spark.streaming.kafka.maxRatePerPartition", "100"); // x 2 s: several micro-batches, state carried between them
    return new Reprocess(SharedPlatform.get().bootstrapServers(), VIEWS, "kappa_temps", "kappa-views",
        SharedPlatform.get().hdfsUri() + "/it/kappa/checkpoints", Duration.ofSeconds(2), conf, System.out).run(snapshots);
  }

  @Test
  @Order(1)
  void onOnTimeDataTheReprocessEqualsTheRecomputeBucketForBucket() throws Exception {
    List<Event> events = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (long t = 0; t < 20 * 60_000; t += 5_000) {
      for (int s = 0; s < 4; s++) {
        events.add(reading(s, t + s * 100, Math.round((20 + random.nextGaussian() * 3) * 100) / 100.0));
      }
    }
    send(events);
    Manifest m = batch();
    assertThat(m.views().get("kappa_temps").events()).isEqualTo(sent);
    assertThat(m.views().get("kappa_temps").lateEvents()).isZero();

    Reprocess.Result r = reprocess();
    assertThat(r.outputTopic()).isEqualTo("kappa-views-kappa_temps-v1");
    assertThat(r.events()).isEqualTo(sent);
    assertThat(r.buckets()).isEqualTo(4 * 20);
    assertThat(r.batchVersion()).isEqualTo(m.version());
    assertThat(r.comparison().identical()).as(r.comparison().toString()).isTrue();
    assertThat(r.comparison().equal()).isEqualTo(4 * 20);
  }

  @Test
  @Order(2)
  void lateEventsAreTheDifferenceTheBatchLayerCorrects() throws Exception {
    send(List.of(reading(1, 30_000, 99.5), reading(1, 40_000, -5.25))); // for 08:00, long closed for s1
    Manifest m = batch();
    assertThat(m.views().get("kappa_temps").lateEvents()).isEqualTo(2);

    Reprocess.Result r = reprocess();
    assertThat(r.outputTopic()).isEqualTo("kappa-views-kappa_temps-v2");
    assertThat(r.events()).as("the speed layer's code counts them late and leaves them out").isEqualTo(sent - 2);
    assertThat(r.comparison().differ()).isEqualTo(1);
    assertThat(r.comparison().differing()).singleElement().asString().startsWith("s1@" + T0 + " batch 14 events, kappa 12");
    assertThat(r.comparison().equal()).isEqualTo(4 * 20 - 1);
    assertThat(r.comparison().batchEvents() - r.comparison().kappaEvents()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void anUnknownViewIsOneLine() throws Exception {
    Path file = Files.createTempFile("kappa-views", ".yaml");
    Files.writeString(file, YAML);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try {
      assertThat(LambdaCli.run("reprocess", "--view", "nope", "--views", file.toString(),
          "--bootstrap-servers", SharedPlatform.get().bootstrapServers())).isEqualTo(2);
    } finally {
      System.setErr(err);
      Files.deleteIfExists(file);
    }
    assertThat(captured.toString().trim()).isEqualTo("error: --view: no view named 'nope' (views: [kappa_temps])");
  }
}
