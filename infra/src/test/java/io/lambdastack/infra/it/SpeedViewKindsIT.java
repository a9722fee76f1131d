package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.serving.ServingLayer;
import io.lambdastack.speed.job.SpeedLayerJob;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.speed.metrics.SpeedStatus;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import io.lambdastack.view.config.SafeProducer;
import io.lambdastack.view.event.EventJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every view kind on the real broker + HDFS checkpoint + Spark, served over HTTP: sliding windows with an
 * inverse function and top-K, running totals (updateStateByKey), landmark segments between reset markers,
 * bucket state that times out without ever overwriting a published bucket; then a graceful restart (no
 * duplicates) and the upgrade path with a changed view file (state rebuilt from the topic: exact).
 */
@ExtendWith(SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpeedViewKindsIT {
  static final String READINGS = "kinds-readings";
  static final String TWEETS = "kinds-tweets";
  static final String SPEED_VIEWS = "kinds-speed-views";
  static final long T0 = Instant.parse("2024-05-01T08:00:00Z").toEpochMilli();
  static final String VIEWS_YAML = """
      views:
        - name: temps
          source: kinds-readings
          key: [sensorId]
          bucket: 1s
          measures: [count, sum(temperature)]
        - name: totals
          kind: running
          source: kinds-readings
          key: [sensorId]
          measures: [count, sum(temperature), max(temperature)]
        - name: segments
          kind: landmark
          source: kinds-readings
          key: [sensorId]
          reset: type=reset
          measures: [count, mean(temperature)]
        - name: hashtags
          kind: sliding
          source: kinds-tweets
          key: [hashtag]
          window: 4s
          slide: 1s
          top: 3
          measures: [count]
      """;
  static final ViewCatalog VIEWS = ViewFile.parse("kinds", VIEWS_YAML);
  /** The upgraded file: one more view (the checkpoint cannot restore it). */
  static final ViewCatalog UPGRADED = ViewFile.parse("kinds-upgraded", VIEWS_YAML + """
        - name: temps_by_site
          source: kinds-readings
          key: [site]
          bucket: 1m
          measures: [count]
      """);

  static JavaStreamingContext ssc;
  static ServingLayer serving;
  static EventPublisher publisher;
  /** Readings go in one transaction per {@link #send}: see there. */
  static KafkaProducer<String, byte[]> readingsProducer;
  /** Everything sent to the readings topic (reset markers are events of their key too). */
  static final List<Event> readings = new ArrayList<>();

  static SpeedLayerSettings settings(ViewCatalog views) {
    var platform = SharedPlatform.get();
    return new SpeedLayerSettings(views, platform.bootstrapServers(), "kinds-speed", SPEED_VIEWS,
        platform.hdfsUri() + "/it/kinds/checkpoint", Duration.ofSeconds(1), noBackpressure(platform.sparkConf()));
  }

  /**
   * Without backpressure a batch takes every committed record: the tests rely on one {@link #send}'s records landing in
   * one batch, and after idle batches the rate estimator let through fewer records than one send (98 of 30,004, seen).
   */
  static Map<String, String> noBackpressure(Map<String, String> conf) {
    Map<String, String> out = new java.util.HashMap<>(conf);
    out.put("spark.streaming.backpressure.enabled", "false");
    return out;
  }

  @BeforeAll
  static void start() throws Exception {
    var platform = SharedPlatform.get();
    SharedPlatform.createTopics(List.of(TopicSpec.of(READINGS, 3), TopicSpec.of(TWEETS, 2), TopicSpec.compacted(SPEED_VIEWS, 3)));
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SpeedStatus.bindTo(metrics);
    serving = ServingLayer.start(platform.bootstrapServers(), SPEED_VIEWS, 0, UPGRADED, metrics);
    publisher = new EventPublisher(platform.bootstrapServers(), "kinds-test");
    Properties tx = SafeProducer.config(platform.bootstrapServers(), "kinds-test-readings");
    tx.put("transactional.id", "kinds-test-readings");
    readingsProducer = new KafkaProducer<>(tx, new StringSerializer(), new ByteArraySerializer());
    readingsProducer.initTransactions();
    ssc = SpeedLayerJob.getOrCreate(settings(VIEWS)).context();
    ssc.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (ssc != null) ssc.stop(true, false);
    if (publisher != null) publisher.close();
    if (readingsProducer != null) readingsProducer.close();
    if (serving != null) serving.close();
  }

  static Event reading(String sensor, long offset, double t) {
    return new Event(sensor + "@" + offset, T0 + offset, Map.of("sensorId", sensor, "site", "north"), Map.of("temperature", t));
  }

  static Event reset(String sensor, long offset) {
    return new Event(sensor + "@" + offset + "/reset", T0 + offset, Map.of("sensorId", sensor, "site", "north", "type", "reset"), Map.of());
  }

  /**
   * Sends the events as ONE micro-batch's input: the expectations of the landmark test (an out-of-order event
   * inside the closed segment, not late) hold only if Spark applies these events together, and a batch boundary
   * can fall anywhere inside a plain flush. The speed layer reads read_committed, where a transaction's records
   * become readable all at once at its commit (the last stable offset jumps past them), so no batch can split them.
   */
  static void send(Event... events) {
    readingsProducer.beginTransaction();
    for (Event e : events) {
      readingsProducer.send(new ProducerRecord<>(READINGS, e.attributes().get("sensorId"), EventJson.toBytes(e)));
      readings.add(e);
    }
    readingsProducer.commitTransaction(); // flushes; throws if a send failed
  }

  /** Sends n tweets for each (hashtag, n) pair, then flushes once. */
  static void tweets(Object... hashtagsAndCounts) {
    for (int k = 0; k < hashtagsAndCounts.length; k += 2) {
      String hashtag = (String) hashtagsAndCounts[k];
      for (int i = 0; i < (Integer) hashtagsAndCounts[k + 1]; i++) {
        publisher.send(TWEETS, hashtag, new Event("tw-" + hashtag + "-" + System.nanoTime(), System.currentTimeMillis(),
            Map.of("hashtag", hashtag), Map.of()));
      }
    }
    publisher.flush();
  }

  static JsonNode buckets(String view, String key) {
    return Http.getJson(serving.url() + "/views/" + view + "?key=" + key).get("buckets");
  }

  static JsonNode bucket(String view, String key, long start) {
    for (JsonNode b : buckets(view, key)) {
      if (b.get("startMs").asLong() == start) {
        return b;
      }
    }
    throw new AssertionError("no bucket " + view + "/" + key + "@" + start + " in " + buckets(view, key));
  }

  static long late(String view) {
    return SpeedStatus.latePerView().getOrDefault(view, 0L);
  }

  static long readAgain(String view) {
    return SpeedStatus.readAgainPerView().getOrDefault(view, 0L);
  }

  @Test
  @Order(1)
  void slidingWindowsAddAndSubtractBatchesAndRankTheTopKeys() {
    tweets("messi", 3);
    await().atMost(Duration.ofSeconds(30)).until(() -> tops().contains("[messi=3]"));
    tweets("mbappe", 2, "neymar", 1);
    // messi leaves the window (subtracted by the inverse function) while the newcomers, one flush and so at most
    // two consecutive batches apart, stay together in it: a window with both and without messi always comes.
    await().atMost(Duration.ofSeconds(30)).until(() -> tops().contains("[mbappe=2, neymar=1]"));
    // Whether messi's batch shares a 4 s window with theirs depends on how fast a loaded machine got here, so
    // that is taken from what Spark did: every slide's ranking must be the top 3 of the per-key windows of the
    // same slide, and every slide with a non-empty window must have its ranking (e.g. [messi=3, mbappe=2,
    // neymar=1] exactly when messi's window reached their batches).
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rankingsByEnd())
        .isEqualTo(rankingsFromKeyWindows("messi", "mbappe", "neymar")));
    List<String> tops = tops();
    assertThat(tops).allSatisfy(t -> assertThat(t).doesNotContain("messi=4", "mbappe=3", "=0"));
    JsonNode messi = buckets("hashtags", "messi");
    assertThat(messi).allSatisfy(w -> assertThat(w.get("endMs").asLong() - w.get("startMs").asLong()).isEqualTo(4_000));
    assertThat(max(messi)).isEqualTo(3);
    assertThat(max(buckets("hashtags", "mbappe"))).isEqualTo(2);
  }

  static long max(JsonNode windows) {
    long max = 0;
    for (JsonNode w : windows) {
      max = Math.max(max, w.get("measures").get("count").asLong());
    }
    return max;
  }

  /** Window end → the published ranking of that slide, as "[key=events, ...]". */
  static Map<Long, String> rankingsByEnd() {
    Map<Long, String> out = new TreeMap<>();
    for (JsonNode w : buckets("hashtags", "*")) {
      List<String> entries = new ArrayList<>();
      w.get("measures").get("top").forEach(e -> entries.add(e.get("key").asText() + "=" + e.get("events").asLong()));
      out.put(w.get("endMs").asLong(), entries.toString());
    }
    return out;
  }

  /** Window end → the top 3 of the keys' own windows of that slide (counts here are distinct: no ties). */
  static Map<Long, String> rankingsFromKeyWindows(String... keys) {
    Map<Long, Map<String, Long>> counts = new TreeMap<>();
    for (String key : keys) {
      for (JsonNode w : buckets("hashtags", key)) {
        counts.computeIfAbsent(w.get("endMs").asLong(), end -> new java.util.HashMap<>()).put(key, w.get("measures").get("count").asLong());
      }
    }
    Map<Long, String> out = new TreeMap<>();
    counts.forEach((end, byKey) -> out.put(end, byKey.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(3)
        .map(e -> e.getKey() + "=" + e.getValue()).toList().toString()));
    return out;
  }

  /** Every published ranking, oldest window first, as "[key=events, ...]". */
  static List<String> tops() {
    List<String> out = new ArrayList<>();
    for (JsonNode w : buckets("hashtags", "*")) {
      List<String> entries = new ArrayList<>();
      w.get("measures").get("top").forEach(e -> entries.add(e.get("key").asText() + "=" + e.get("events").asLong()));
      out.add(entries.toString());
    }
    return out;
  }

  @Test
  @Order(2)
  void runningTotalsAndLandmarkSegmentsAreExactWithOutOfOrderAndLateEvents() {
    send(reading("s1", 1_000, 20.0), reading("s1", 3_000, 22.0), reset("s1", 5_000), reading("s1", 6_000, 30.0),
        reading("s1", 4_000, 21.0), // out of order, before the reset: first segment
        reading("s1", 8_000, 31.0), reading("s2", 2_000, 10.0));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertSegment("s1", 1_000, 5_000, 3, 21.0, true);
      assertSegment("s1", 5_000, 8_001, 2, 30.5, false);
      assertTotal("s1");
      assertTotal("s2");
    });
    long lateBefore = late("segments");
    send(reading("s1", 2_000, 99.0)); // before the open segment: late for the landmark view, counted in the total
    send(reading("s1", 9_000, 32.0), reset("s1", 10_000), reading("s1", 12_000, 40.0));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertSegment("s1", 5_000, 10_000, 3, 31.0, true);
      assertSegment("s1", 10_000, 12_001, 1, 40.0, false);
      assertTotal("s1");
      assertThat(late("segments") - lateBefore).isEqualTo(1);
    });
    assertSegment("s1", 1_000, 5_000, 3, 21.0, true); // untouched by the late event
    assertThat(buckets("segments", "s1")).hasSize(3);
  }

  /**
   * Batches whose runs cannot be used: the task's readings aggregated in runs, its events left in Kafka, read again by
   * the state from the task's slice of the topic (SliceRefold), on the real broker.
   */
  @Test
  @Order(3)
  void landmarkSegmentsAreExactWhenABatchsEventsMustBeReadAgainFromKafka() {
    long lateBefore = late("segments");
    long readAgainBefore = readAgain("segments");
    long recordsBefore = SpeedStatus.recordsReadAgain();
    // The reset comes after a reading later than it: inside the task's own run [1 s, 6 s], which cannot be split. With
    // 30,000 other readings in the same batch, spread over the partitions, the batch is read by several tasks, each
    // naming its own slice: s3's events are read again from the right one, or the count check fails the batch.
    List<Event> batch = new ArrayList<>(List.of(reading("s3", 1_000, 10.0), reading("s3", 6_000, 20.0), reset("s3", 5_000),
        reading("s3", 7_000, 30.0)));
    for (int i = 0; i < 30_000; i++) {
      batch.add(reading("f" + i % 30, i, 1.0));
    }
    send(batch.toArray(Event[]::new));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertSegment("s3", 1_000, 5_000, 1, 10.0, true);
      assertSegment("s3", 5_000, 7_001, 2, 25.0, false);
      assertThat(readAgain("segments") - readAgainBefore).isEqualTo(1);
      assertTotal("f29");
      // One task's slice read again, not the batch: the transaction's 30,004 records (and 3 markers) come in one batch,
      // which three tasks read in equal slices (EqualSlices, at least SpeedLayerJob.MIN_SLICE each): about 10,002 offsets
      // each. (Should a batch ever end between two partitions' commit markers, s3's slice is smaller still.)
      assertThat(SpeedStatus.recordsReadAgain() - recordsBefore).as("records read again").isBetween(4L, 10_010L);
    });
    // The open segment's start (5 s) inside the run [4 s, 8 s]: 4 s is late, 8 s joins the open segment.
    send(reading("s3", 4_000, 99.0), reading("s3", 8_000, 45.0));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertSegment("s3", 5_000, 8_001, 3, 95.0 / 3, false);
      assertThat(readAgain("segments") - readAgainBefore).isEqualTo(2);
      assertThat(late("segments") - lateBefore).isEqualTo(1);
      assertTotal("s3");
    });
    assertSegment("s3", 1_000, 5_000, 1, 10.0, true);
    assertThat(buckets("segments", "s3")).hasSize(2);
    assertThat(Http.getText(serving.url() + "/metrics"))
        .contains("lambda_speed_landmark_read_again_total{view=\"segments\",} " + (double) readAgain("segments"))
        .contains("lambda_speed_landmark_records_read_again_total " + (double) SpeedStatus.recordsReadAgain());
  }

  static void assertSegment(String key, long start, long end, long count, double mean, boolean closed) {
    JsonNode s = bucket("segments", key, T0 + start);
    assertThat(s.get("endMs").asLong()).isEqualTo(T0 + end);
    assertThat(s.get("events").asLong()).isEqualTo(count);
    assertThat(s.get("measures").get("mean_temperature").asDouble()).isEqualTo(mean);
    assertThat(s.get("measures").get("closed").asBoolean()).isEqualTo(closed);
  }

  static void assertTotal(String key) {
    List<Event> mine = readings.stream().filter(e -> e.attributes().get("sensorId").equals(key)).toList();
    Expected x = Expected.of(mine.stream().filter(e -> e.number("temperature") != null).toList(), "temperature");
    JsonNode t = bucket("totals", key, 0);
    assertThat(t.get("events").asLong()).as("total of %s, reset markers included", key).isEqualTo(mine.size());
    assertThat(t.get("measures").get("sum_temperature").asDouble()).isEqualTo(x.sum());
    assertThat(t.get("measures").get("max_temperature").asDouble()).isEqualTo(x.max());
    assertThat(t.get("endMs").asLong()).isEqualTo(mine.stream().mapToLong(Event::eventTime).max().orElseThrow() + 1);
  }

  @Test
  @Order(4)
  void anIdleKeyTimesOutAndOnItsReturnCannotOverwriteAPublishedBucket() {
    send(reading("idle", 100, 1.0), reading("idle", 200, 2.0)); // bucket [T0, T0+1s): count 2, open (lateness 0)
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(bucket("temps", "idle", T0).get("events").asLong()).isEqualTo(2));
    // timeout = bucket + lateness = 1 s; Spark drops idle keys on its next full state scan (every 10 batches).
    await().atMost(Duration.ofSeconds(40)).until(() -> SpeedStatus.stateSize("buckets", "temps")[0] == 0
        && SpeedStatus.stateSize("history", "temps")[0] >= 3);
    long lateBefore = late("temps");
    send(reading("idle", 300, 5.0), reading("idle", 1_500, 7.0)); // the published bucket, and a new one
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(bucket("temps", "idle", T0 + 1_000).get("measures").get("sum_temperature").asDouble()).isEqualTo(7.0);
      assertThat(late("temps") - lateBefore).isEqualTo(1);
    });
    JsonNode kept = bucket("temps", "idle", T0);
    assertThat(kept.get("events").asLong()).as("the full aggregate, not a partial one").isEqualTo(2);
    assertThat(kept.get("measures").get("sum_temperature").asDouble()).isEqualTo(3.0);
    assertThat(Http.getText(serving.url() + "/metrics")).contains("lambda_speed_state_keys{state=\"history\",view=\"temps\"", "lambda_speed_state_entries{state=\"buckets\",view=\"temps\"");
  }

  @Test
  @Order(5)
  void aGracefulRestartRecoversWithoutDuplicates() {
    ssc.stop(true, true);
    SpeedLayerJob.commitCompleted(settings(VIEWS));
    SpeedLayerJob.Started again = SpeedLayerJob.getOrCreate(settings(VIEWS));
    assertThat(again.recovered()).isTrue();
    ssc = again.context();
    ssc.start();
    send(reading("s2", 3_000, 11.0));
    await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
      assertTotal("s2");
      assertTotal("s1");
    });
  }

  @Test
  @Order(6)
  void theUpgradePathRebuildsTheStateFromTheTopicAndResumesFromTheCommittedOffsets() {
    ssc.stop(true, true);
    SpeedLayerJob.commitCompleted(settings(VIEWS));
    assertThatThrownBy(() -> SpeedLayerJob.getOrCreate(settings(UPGRADED))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("run once with --upgrade");
    ssc = SpeedLayerJob.upgrade(settings(UPGRADED)).context();
    ssc.start(); // a new SparkContext: the late counters start again from 0
    send(reading("s1", 13_000, 42.0), // the rebuilt open segment [10s, ...) goes on
        reading("s1", 9_500, 50.0), // before it: late, as before the upgrade
        reading("s2", 3_500, 12.0), // s2's bucket [T0+3s, T0+4s) is open at its watermark 3 s: merged into the rebuilt one
        reading("idle", 250, 9.0)); // idle's bucket T0 stays closed: the rebuilt history says it was published
    await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
      assertSegment("s1", 10_000, 13_001, 2, 41.0, false);
      assertTotal("s1");
      assertTotal("s2");
      assertThat(bucket("temps", "s2", T0 + 3_000).get("events").asLong()).isEqualTo(2);
      assertThat(bucket("temps_by_site", "north", T0).get("events").asLong()).as("the new view").isEqualTo(4);
      assertThat(late("segments")).isEqualTo(1);
      assertThat(late("temps")).as("s1@9.5s (watermark 12 s) and idle@0.25s").isEqualTo(2);
    });
    assertThat(bucket("temps", "idle", T0).get("events").asLong()).isEqualTo(2);
    assertThat(bucket("temps", "s2", T0 + 2_000).get("events").asLong()).isEqualTo(1);
  }
}
