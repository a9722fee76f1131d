package io.lambdastack.batch.recompute;

import io.lambdastack.view.definition.ViewDefinition;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Counts, per view, the events the speed layer refuses as late and only the batch layer includes (the Lambda
 * correction). The rule is the speed layer's ({@link ViewDefinition#isClosed}): per (view, key), an event is
 * late when its bucket ended at least {@code lateness} before the newest event time seen EARLIER for that key,
 * "earlier" being arrival order ({@link Arrival}: Kafka timestamp, partition, offset). (The speed layer applies
 * the rule per micro-batch, so an event whose key advanced within the same batch is not late there; this count
 * is the per-event reading of the rule.)
 *
 * <p>Without sorting the events. Let {@code x = bucketEnd + lateness} and {@code T} the first arrival of an
 * event of the key with event time at or after {@code x}: an event of the bucket is late exactly when it
 * arrived after {@code T}. The cells' arrival bounds ({@link CellAggregator}) give {@code T} for every bucket
 * (the first arrival at or after the closing offset of the bucket holding {@code x}, and the first arrivals of
 * the buckets after it), so a bucket whose last event arrived before {@code T} has no late event and one whose
 * first arrived after {@code T} has only late events. Only the buckets that straddle {@code T} are counted
 * event by event, reading just their days again.
 */
final class LateEvents {
  private LateEvents() {}

  /** A cell's bounds: all {@link #count} needs of it. */
  private record Bounds(long bucket, long events, Arrival first, Arrival last, Arrival firstFromOffset) implements Serializable {}

  /** A bucket whose events arrived both before and after its threshold: counted event by event. */
  private record Straddler(int view, String key, long bucket, Arrival threshold) implements Serializable {}

  /** Per view index: the cells, their events and the late events among them. */
  record Counts(long[] cells, long[] events, long[] late) implements Serializable {}

  /** Counts per view index (late events as far as the bounds know them), and the buckets still to count. */
  private static final class Tally implements Serializable {
    final long[] cells;
    final long[] events;
    final long[] late;
    final List<Straddler> straddlers = new ArrayList<>();

    Tally(int views) {
      cells = new long[views];
      events = new long[views];
      late = new long[views];
    }

    Tally merge(Tally o) {
      for (int i = 0; i < late.length; i++) {
        cells[i] += o.cells[i];
        events[i] += o.events[i];
        late[i] += o.late[i];
      }
      straddlers.addAll(o.straddlers);
      return this;
    }
  }

  /**
   * @param cells  {@link ViewCells#aggregate} of one topic's views
   * @param reread the topic's projected rows ({@link ViewColumns#select}) of the given UTC days only
   * @return per view index: cells, events (the manifest's counts, from the same pass) and late events
   */
  static Counts count(SparkSession spark, Dataset<Row> cells, List<ViewDefinition> views, ViewColumns columns,
      Function<Set<String>, Dataset<Row>> reread) {
    JavaRDD<Tally> tallies = cells.javaRDD()
        .mapToPair(r -> {
          CellAggregator.Result c = CellAggregator.Result.decode((byte[]) r.get(3));
          return new Tuple2<>(new Tuple2<>(r.getInt(0), r.getString(1)),
              new Bounds(r.getLong(2), c.events(), c.first(), c.last(), c.firstFromOffset()));
        })
        .groupByKey()
        .map(key -> tally(key._1()._1(), key._1()._2(), key._2(), views));
    Tally total = tallies.fold(new Tally(views.size()), Tally::merge);
    if (!total.straddlers.isEmpty()) {
      countStraddlers(spark, total, views, columns, reread);
    }
    return new Counts(total.cells, total.events, total.late);
  }

  /** One key's buckets: the late events their bounds decide, and the straddlers. */
  private static Tally tally(int viewIndex, String key, Iterable<Bounds> cells, List<ViewDefinition> views) {
    ViewDefinition view = views.get(viewIndex);
    List<Bounds> buckets = new ArrayList<>();
    cells.forEach(buckets::add);
    buckets.sort(Comparator.comparingLong(Bounds::bucket));
    int n = buckets.size();
    Arrival[] firstFrom = new Arrival[n + 1]; // firstFrom[i]: the first arrival in buckets i.. (suffix minimum)
    for (int i = n - 1; i >= 0; i--) {
      firstFrom[i] = Arrival.min(buckets.get(i).first(), firstFrom[i + 1]);
    }
    long[] starts = buckets.stream().mapToLong(Bounds::bucket).toArray();
    long toClosing = view.bucketWidthMillis() + view.latenessMillis() - CellAggregator.closingOffset(view);
    Tally tally = new Tally(views.size());
    tally.cells[viewIndex] = n;
    for (Bounds b : buckets) {
      tally.events[viewIndex] += b.events();
    }
    for (Bounds b : buckets) {
      long closing = b.bucket() + toClosing; // the bucket holding bucketEnd + lateness
      int at = java.util.Arrays.binarySearch(starts, closing);
      int after = at >= 0 ? at + 1 : -at - 1;
      Arrival threshold = firstFrom[after];
      if (at >= 0) {
        threshold = Arrival.min(threshold, buckets.get(at).firstFromOffset());
      }
      if (threshold == null || b.last().compareTo(threshold) < 0) {
        continue; // nothing closed the bucket, or it did after all its events arrived
      }
      if (b.first().compareTo(threshold) > 0) {
        tally.late[viewIndex] += b.events();
      } else {
        tally.straddlers.add(new Straddler(viewIndex, key, b.bucket(), threshold));
      }
    }
    return tally;
  }

  private static void countStraddlers(SparkSession spark, Tally total, List<ViewDefinition> views, ViewColumns columns,
      Function<Set<String>, Dataset<Row>> reread) {
    Set<String> days = new TreeSet<>();
    List<Row> rows = new ArrayList<>();
    for (Straddler s : total.straddlers) {
      long width = views.get(s.view()).bucketWidthMillis();
      for (LocalDate d = day(s.bucket()); !d.isAfter(day(s.bucket() + width - 1)); d = d.plusDays(1)) {
        days.add(d.toString());
      }
      rows.add(RowFactory.create(s.view(), s.key(), s.bucket(), s.threshold().timestamp(), s.threshold().partition(),
          s.threshold().offset()));
    }
    StructType schema = new StructType().add("view", DataTypes.IntegerType, false).add("key", DataTypes.StringType, false)
        .add("bucket", DataTypes.LongType, false).add("t_timestamp", DataTypes.LongType, false)
        .add("t_partition", DataTypes.IntegerType, false).add("t_offset", DataTypes.LongType, false);
    Dataset<Row> straddlers = spark.createDataFrame(rows, schema);
    Column ts = functions.col("kafka_timestamp");
    Column partition = functions.col("partition");
    Column afterThreshold = ts.gt(functions.col("t_timestamp"))
        .or(ts.equalTo(functions.col("t_timestamp")).and(partition.gt(functions.col("t_partition"))
            .or(partition.equalTo(functions.col("t_partition")).and(functions.col("offset").gt(functions.col("t_offset"))))));
    for (Row r : ViewCells.route(reread.apply(days), views, columns)
        .join(straddlers, scala.collection.JavaConverters.asScalaBuffer(List.of("view", "key", "bucket")).toSeq())
        .where(afterThreshold).groupBy("view").count().collectAsList()) {
      total.late[r.getInt(0)] += r.getLong(1);
    }
  }

  private static LocalDate day(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
  }
}
