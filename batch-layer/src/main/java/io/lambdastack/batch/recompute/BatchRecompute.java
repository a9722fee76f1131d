package io.lambdastack.batch.recompute;

import io.lambdastack.batch.archive.ArchiveLog;
import io.lambdastack.batch.archive.ArchiveRun;
import io.lambdastack.batch.archive.ArchivedRange;
import io.lambdastack.batch.archive.MasterDataset;
import io.lambdastack.batch.snapshot.Manifest;
import io.lambdastack.batch.snapshot.SnapshotRows;
import io.lambdastack.batch.snapshot.SnapshotStore;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.update.ViewUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The batch layer's job: recompute every view from the master dataset with the shared fold
 * ({@link BatchViews}, the speed layer's code), write it as a new snapshot version, then publish it.
 *
 * <ol>
 *   <li>finish archive moves a crash interrupted; check every data file (name, footer, schema);
 *   <li>read the dataset (all, or event days {@code [from, to)}); for a full read, the row count must equal
 *       what the archive log committed;
 *   <li>fold the views, count the late events, write {@code vN/view=<name>/*.parquet};
 *   <li>write {@code vN/_MANIFEST.json} (horizons, inputs, late events, code version), then flip
 *       {@code LATEST} (full recomputes only: a date range's snapshot lacks the other days, so it is kept for
 *       inspection and comparison, not served); prune to the last {@code keep} versions.
 * </ol>
 *
 * Any failure before the flip leaves the published version as it was.
 */
public final class BatchRecompute {
  /** The point a crash test may interrupt: the version is complete, {@code LATEST} not flipped yet. */
  public enum Stage { WRITTEN }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BatchRecompute.class);
  private static final Pattern FILE_IN_MESSAGE = Pattern.compile("((?:hdfs|file):/\\S+?\\.parquet)");

  private final SparkSession spark;
  private final ViewCatalog catalog;
  private final MasterDataset dataset;
  private final SnapshotStore store;
  private final int keep;
  private Consumer<Stage> crashHook = stage -> {};

  public BatchRecompute(SparkSession spark, ViewCatalog catalog, MasterDataset dataset, SnapshotStore store, int keep) {
    this.spark = spark;
    this.catalog = new ViewCatalog(catalog.bucketViews()); // sliding, running and landmark views are speed-only
    this.dataset = dataset;
    this.store = store;
    this.keep = keep;
  }

  /** For tests: called after each stage; throwing from it simulates a crash there. */
  public BatchRecompute crashHook(Consumer<Stage> hook) {
    this.crashHook = hook;
    return this;
  }

  public Manifest run(DateRange range) {
    long started = System.currentTimeMillis();
    FileSystem fs = fileSystem();
    long version = store.nextVersion();
    Map<String, Manifest.Input> inputs = new LinkedHashMap<>();
    Map<String, List<ArchivedRange>> coverage = new LinkedHashMap<>();
    Map<String, Dataset<Row>> datasets = new LinkedHashMap<>();
    try {
      for (String topic : catalog.sourceTopics()) {
        ArchiveLog log = new ArchiveLog(fs, dataset, topic);
        List<ArchiveRun> runs = log.runs();
        log.finishMoves(runs);
        Map<String, Long> rowsByDate = MasterDatasetCheck.check(fs, dataset.topicDir(topic), spark.sparkContext().hadoopConfiguration());
        List<ArchivedRange> covered = new ArrayList<>(ArchiveLog.coverage(runs).values());
        coverage.put(topic, covered);
        long count = rowsByDate.entrySet().stream().filter(e -> range.containsDay(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        long archived = covered.stream().mapToLong(ArchivedRange::rows).sum();
        if (range.isAll() && count != archived) {
          throw new MasterDatasetException("the master dataset of " + topic + " holds " + count + " events but its archive log committed "
              + archived + ": files were added or removed outside the archiver (see " + dataset.topicDir(topic) + ")");
        }
        inputs.put(topic, input(topic, runs.size(), count, covered));
        Dataset<Row> rows = read(fs, topic, range);
        if (rows != null) {
          // Read once: the fold and the late-event count both scan it (Spark's compact columnar cache).
          datasets.put(topic, rows.persist(StorageLevel.MEMORY_AND_DISK()));
        }
      }
      long checked = System.currentTimeMillis();
      Map<String, Manifest.ViewSummary> views = datasets.isEmpty()
          ? emptyViews(version, coverage, range)
          : computeViews(version, datasets, coverage, range, started);
      log.info("recompute {}: files checked in {} ms, views and late events in {} ms", SnapshotStore.versionName(version),
          checked - started, System.currentTimeMillis() - checked);
      Manifest manifest = new Manifest(version, System.currentTimeMillis(), CodeVersion.get(), viewsSha256(),
          range.from() == null ? null : range.from().toString(), range.to() == null ? null : range.to().toString(),
          inputs, views, System.currentTimeMillis() - started);
      store.complete(manifest);
      crashHook.accept(Stage.WRITTEN);
      if (range.isAll()) { // a date range holds only those days' buckets: written for inspection, never served
        store.publish(version);
      }
      store.prune(keep);
      return manifest;
    } catch (RuntimeException e) {
      store.discardUnfinished(version);
      throw clearly(e);
    } finally {
      datasets.values().forEach(d -> d.unpersist(false));
    }
  }

  private Map<String, Manifest.ViewSummary> computeViews(long version, Map<String, Dataset<Row>> datasets,
      Map<String, List<ArchivedRange>> coverage, DateRange range, long computedAt) {
    ViewFold fold = new ViewFold(catalog);
    JavaPairRDD<String, Event> events = null;
    for (Map.Entry<String, Dataset<Row>> d : datasets.entrySet()) {
      String topic = d.getKey();
      JavaPairRDD<String, Event> topicEvents = d.getValue().javaRDD().mapToPair(r -> new Tuple2<>(topic, MasterDataset.event(r)));
      events = events == null ? topicEvents : events.union(topicEvents);
    }
    // The updates are small (one per cell) and used twice; the events are read once, never cached.
    JavaRDD<ViewUpdate> updates = BatchViews.compute(events, fold, computedAt).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      spark.createDataFrame(updates.map(SnapshotRows::row), SnapshotRows.SCHEMA)
          .write().mode(SaveMode.ErrorIfExists).partitionBy("view")
          .parquet(store.versionDir(version).toString());
      Map<String, Tuple2<Long, Long>> counts = updates
          .mapToPair(u -> new Tuple2<>(u.view(), new Tuple2<>(1L, u.events())))
          .reduceByKey((a, b) -> new Tuple2<>(a._1() + b._1(), a._2() + b._2()))
          .collectAsMap();
      long folded = System.currentTimeMillis();
      Map<String, Long> late = new LinkedHashMap<>();
      datasets.forEach((topic, rows) -> late.putAll(LateEvents.count(rows, topic, catalog)));
      log.info("late events counted in {} ms", System.currentTimeMillis() - folded);
      Map<String, Manifest.ViewSummary> views = new LinkedHashMap<>();
      for (ViewDefinition view : catalog.views()) {
        Tuple2<Long, Long> c = counts.getOrDefault(view.name(), new Tuple2<>(0L, 0L));
        OptionalLong horizon = horizon(view, coverage.get(view.source()), range);
        views.put(view.name(), new Manifest.ViewSummary(view.name(), horizon.isPresent() ? horizon.getAsLong() : null,
            horizon.isPresent() ? Instant.ofEpochMilli(horizon.getAsLong()).toString() : null,
            c._1(), c._2(), late.getOrDefault(view.name(), 0L)));
      }
      return views;
    } finally {
      updates.unpersist(false);
    }
  }

  private Map<String, Manifest.ViewSummary> emptyViews(long version, Map<String, List<ArchivedRange>> coverage, DateRange range) {
    try {
      fileSystem().mkdirs(store.versionDir(version));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Manifest.ViewSummary> views = new LinkedHashMap<>();
    for (ViewDefinition view : catalog.views()) {
      views.put(view.name(), new Manifest.ViewSummary(view.name(), null, null, 0, 0, 0));
    }
    return views;
  }

  /** The horizon of a view; a date range caps it at the range's end. */
  private static OptionalLong horizon(ViewDefinition view, List<ArchivedRange> covered, DateRange range) {
    OptionalLong h = Horizon.of(view, covered);
    if (h.isPresent() && range.endMillis() != Long.MAX_VALUE) {
      long end = Math.floorDiv(range.endMillis(), view.bucketWidthMillis()) * view.bucketWidthMillis();
      return OptionalLong.of(Math.min(h.getAsLong(), end));
    }
    return h;
  }

  private Dataset<Row> read(FileSystem fs, String topic, DateRange range) {
    Path dir = dataset.topicDir(topic);
    try {
      if (MasterDatasetCheck.dataFiles(fs, dir).isEmpty()) {
        return null;
      }
    } catch (IOException e) {
      throw new MasterDatasetException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    Dataset<Row> rows = spark.read().schema(MasterDataset.WRITE_SCHEMA).option("basePath", dir.toString()).parquet(dir.toString());
    if (range.from() != null) {
      rows = rows.where(functions.col(MasterDataset.DATE).geq(range.from().toString()));
    }
    if (range.to() != null) {
      rows = rows.where(functions.col(MasterDataset.DATE).lt(range.to().toString()));
    }
    return rows.select("partition", "offset", "kafka_timestamp", "id", "event_time", "attributes", "values");
  }

  private static Manifest.Input input(String topic, long runs, long rows, List<ArchivedRange> covered) {
    List<Manifest.PartitionInput> partitions = covered.stream()
        .map(r -> new Manifest.PartitionInput(r.partition(), r.from(), r.until(), r.rows(), r.maxEventTime())).toList();
    return new Manifest.Input(topic, runs, rows, partitions);
  }

  private String viewsSha256() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(catalog.views().toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A Spark failure reading a bad file becomes one line naming the file. */
  private static RuntimeException clearly(RuntimeException e) {
    if (e instanceof MasterDatasetException) {
      return e;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher m = FILE_IN_MESSAGE.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        Throwable root = t;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        return new MasterDatasetException("cannot read " + m.group(1) + ": " + root, e);
      }
    }
    return e;
  }

  private FileSystem fileSystem() {
    try {
      return FileSystem.get(URI.create(dataset.root().toString()), spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
