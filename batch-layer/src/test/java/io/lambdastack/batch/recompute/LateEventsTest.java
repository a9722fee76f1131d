package io.lambdastack.batch.recompute;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.BucketKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recompute's fold and late-event count, on local Spark without servers, against brute force: the cells
 * equal {@link ViewFold} over the same events, and the late events equal the speed layer's rule applied
 * event by event in arrival order (sort by arrival, running maximum of the event time before each event).
 * The events arrive shuffled within a window, so buckets are on time, wholly late, and straddling.
 */
class LateEventsTest {
  static final String TOPIC = "readings";
  static final ViewCatalog VIEWS = ViewFile.parse("test", """
      views:
        - name: tight
          source: readings
          key: [sensor]
          bucket: 10s
          measures: [count, sum(temp), min(temp)]
        - name: offset_lateness
          source: readings
          key: [sensor]
          bucket: 10s
          lateness: 25s
          measures: [count, max(temp)]
        - name: by_site_and_level
          source: readings
          key: [site, level]
          bucket: 1m
          lateness: 2m
          measures: [count, mean(temp)]
      """);

  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("late-events-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  record Arrived(int partition, long offset, long kafkaTimestamp, Event event) {}

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void cellsAndLateEventsEqualTheRuleAppliedEventByEvent(long seed) {
    List<Arrived> arrived = events(new Random(seed), 4_000);
    ViewColumns columns = ViewColumns.of(VIEWS, TOPIC);
    Dataset<Row> master = dataset(arrived, columns);
    Dataset<Row> projected = master.drop("date");
    List<ViewDefinition> views = VIEWS.readingFrom(TOPIC);

    Dataset<Row> cells = ViewCells.aggregate(projected, views, columns).cache();
    LateEvents.Counts counts = LateEvents.count(spark, cells, views, columns,
        days -> master.where(functions.col("date").isin(days.toArray())).drop("date"));
    long[] late = counts.late();

    for (int i = 0; i < views.size(); i++) {
      assertThat(late[i]).as("late events of %s (seed %d)", views.get(i).name(), seed).isEqualTo(bruteForceLate(arrived, views.get(i)));
    }
    assertThat(Arrays.stream(late).sum()).as("the draw has late events").isPositive();
    Map<BucketKey, Aggregate> expected = new ViewFold(VIEWS).fold(TOPIC, arrived.stream().map(Arrived::event).toList());
    Map<String, Long> actual = new HashMap<>();
    for (Row r : cells.collectAsList()) {
      CellAggregator.Result c = CellAggregator.Result.decode((byte[]) r.get(3));
      actual.put(views.get(r.getInt(0)).name() + "/" + r.getString(1) + "/" + r.getLong(2), c.events());
      Aggregate e = expected.get(new BucketKey(views.get(r.getInt(0)).name(), r.getString(1), r.getLong(2)));
      assertThat(e).as("cell %s is one of the shared fold's (same key and bucket start)", r).isNotNull();
      assertThat(c.measures()).isEqualTo(io.lambdastack.batch.snapshot.SnapshotRows.measuresJson(
          new ViewFold(VIEWS).aggregator(e.view()).results(e)));
    }
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < views.size(); i++) {
      String name = views.get(i).name();
      assertThat(counts.cells()[i]).isEqualTo(expected.keySet().stream().filter(k -> k.view().equals(name)).count());
      assertThat(counts.events()[i]).isEqualTo(expected.entrySet().stream().filter(k -> k.getKey().view().equals(name))
          .mapToLong(k -> k.getValue().events()).sum());
    }
    cells.unpersist();
  }

  /** The rule, literally: in arrival order, an event is late when its bucket is closed by the key's watermark so far. */
  static long bruteForceLate(List<Arrived> arrived, ViewDefinition view) {
    List<Arrived> inOrder = new ArrayList<>(arrived);
    inOrder.sort(Comparator.comparingLong(Arrived::kafkaTimestamp).thenComparingInt(Arrived::partition).thenComparingLong(Arrived::offset));
    Map<String, Long> watermark = new HashMap<>();
    long late = 0;
    for (Arrived a : inOrder) {
      String key = view.keyOf(a.event());
      if (key == null) {
        continue;
      }
      Long w = watermark.get(key);
      if (w != null && view.isClosed(view.bucketStart(a.event().eventTime()), w)) {
        late++;
      }
      watermark.merge(key, a.event().eventTime(), Math::max);
    }
    return late;
  }

  /** Events over a few days around midnights (and a few before 1970), arriving shuffled within windows of 50, across 3 partitions; some lack a key field. */
  static List<Arrived> events(Random random, int n) {
    List<Event> events = new ArrayList<>();
    long t = Instant.parse("2026-03-01T23:50:00Z").toEpochMilli();
    for (int i = 0; i < n; i++) {
      t += random.nextInt(4_000);
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("sensor", "s" + random.nextInt(5));
      if (random.nextInt(20) != 0) {
        attributes.put("site", "site" + random.nextInt(2));
      }
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("temp", Math.round(random.nextGaussian() * 1000) / 100.0);
      values.put("level", (double) random.nextInt(3)); // a numeric key field: its text is the number's
      long eventTime = t - (random.nextInt(10) == 0 ? random.nextInt(120_000) : 0);
      if (random.nextInt(200) == 0) { // before 1970: the SQL bucket (pmod) must floor as ViewDefinition.bucketStart does
        eventTime -= 60L * 365 * 86_400_000;
      }
      events.add(new Event("e" + i, eventTime, attributes, values));
    }
    for (int from = 0; from < n; from += 50) { // arrival order: shuffled within each window
      Collections.shuffle(events.subList(from, Math.min(n, from + 50)), random);
    }
    List<Arrived> arrived = new ArrayList<>();
    long[] offsets = new long[3];
    long kafkaTime = 1_000_000;
    for (Event e : events) {
      int partition = random.nextInt(3);
      kafkaTime += random.nextInt(3); // equal timestamps happen: partition and offset order them
      arrived.add(new Arrived(partition, offsets[partition]++, kafkaTime, e));
    }
    return arrived;
  }

  /** The master dataset's projection of the events, plus their UTC day (the directory a re-read prunes by). */
  static Dataset<Row> dataset(List<Arrived> arrived, ViewColumns columns) {
    StructType schema = new StructType().add("partition", DataTypes.IntegerType, false).add("offset", DataTypes.LongType, false)
        .add("kafka_timestamp", DataTypes.LongType, false)
        .add("event_time", DataTypes.LongType, false);
    for (int i = 0; i < columns.fields().size(); i++) {
      schema = schema.add("a" + i, DataTypes.StringType, true).add("v" + i, DataTypes.DoubleType, true);
    }
    schema = schema.add("date", DataTypes.StringType, false);
    List<Row> rows = new ArrayList<>();
    for (Arrived a : arrived) {
      List<Object> values = new ArrayList<>(List.of(a.partition(), a.offset(), a.kafkaTimestamp(), a.event().eventTime()));
      for (String field : columns.fields()) {
        values.add(a.event().attributes().get(field));
        values.add(a.event().values().get(field));
      }
      values.add(Instant.ofEpochMilli(a.event().eventTime()).atZone(ZoneOffset.UTC).toLocalDate().toString());
      rows.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(rows, schema);
  }
}
