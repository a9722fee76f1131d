package io.lambdastack.batch.recompute;

import io.lambdastack.batch.archive.ArchiveLog;
import io.lambdastack.batch.archive.ArchiveRun;
import io.lambdastack.batch.archive.ArchivedRange;
import io.lambdastack.batch.archive.MasterDataset;
import io.lambdastack.batch.snapshot.Manifest;
import io.lambdastack.batch.snapshot.SnapshotRows;
import io.lambdastack.batch.snapshot.SnapshotStore;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The batch layer's job: recompute every view from the master dataset with the shared fold
 * ({@link CellAggregator} over the speed layer's measure code), write it as a new snapshot version, then publish it.
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
    this.spark = session(spark);
    this.catalog = new ViewCatalog(catalog.bucketViews()); // sliding, running and landmark views are speed-only
    this.dataset = dataset;
    this.store = store;
    this.keep = keep;
  }

  /**
   * The recompute's own SQL session: the caller's SparkContext and cache, its own SQL settings, so the
   * caller's session stays as it was. Where the user left Spark's defaults:
   * <ul>
   *   <li>typed aggregates leave hashing for sorting after 128 groups per task; a task of the master dataset
   *       holds thousands of (key, bucket) cells, each a few hundred bytes to a few KB: 16,384;
   *   <li>the cells are few next to the events: two shuffle partitions per core, not 200 (each map task
   *       writes a file per shuffle partition).
   * </ul>
   */
  static SparkSession session(SparkSession caller) {
    SparkSession session = caller.newSession();
    setIfDefault(session, "spark.sql.objectHashAggregate.sortBased.fallbackThreshold", "128", "16384");
    setIfDefault(session, "spark.sql.shuffle.partitions", "200", Integer.toString(2 * caller.sparkContext().defaultParallelism()));
    return session;
  }

  private static void setIfDefault(SparkSession session, String key, String sparkDefault, String value) {
    if (sparkDefault.equals(session.conf().get(key, sparkDefault))) {
      session.conf().set(key, value);
    }
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
    List<String> withData = new ArrayList<>();
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
        if (!rowsByDate.isEmpty()) {
          withData.add(topic);
        }
      }
      long checked = System.currentTimeMillis();
      Map<String, Manifest.ViewSummary> views = withData.isEmpty()
          ? emptyViews(version, coverage, range)
          : computeViews(version, withData, coverage, range);
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
    }
  }

  /**
   * One scan per topic: Spark SQL routes each event to its cells and folds them with {@link CellAggregator}
   * (the shared measure code); the cells, a row each, are cached, written as the snapshot and read for the
   * late events. Profiled on flights-3m: caching the events instead (Spark's columnar cache) or folding them
   * through an RDD cost more than the scan itself.
   */
  private Map<String, Manifest.ViewSummary> computeViews(long version, List<String> topics,
      Map<String, List<ArchivedRange>> coverage, DateRange range) {
    long started = System.currentTimeMillis();
    Map<String, Dataset<Row>> cellsByTopic = new LinkedHashMap<>();
    Dataset<Row> snapshot = null;
    for (String topic : topics) {
      List<ViewDefinition> views = catalog.readingFrom(topic);
      ViewColumns columns = ViewColumns.of(catalog, topic);
      // One partition per core: the cells are few next to the events, and every partition of the snapshot is a
      // file to create on HDFS.
      Dataset<Row> cells = ViewCells.aggregate(columns.select(read(topic, range)), views, columns)
          .coalesce(spark.sparkContext().defaultParallelism()).persist(StorageLevel.MEMORY_AND_DISK());
      cellsByTopic.put(topic, cells);
      Dataset<Row> rows = spark.createDataFrame(cells.javaRDD().map(r -> snapshotRow(r, views)), SnapshotRows.SCHEMA);
      snapshot = snapshot == null ? rows : snapshot.union(rows);
    }
    try {
      String versionDir = store.versionDir(version).toString();
      snapshot.write().mode(SaveMode.ErrorIfExists).partitionBy("view").parquet(versionDir);
      long written = System.currentTimeMillis();
      Map<String, Tuple2<Long, Long>> counts = new LinkedHashMap<>();
      Map<String, Long> late = new LinkedHashMap<>();
      cellsByTopic.forEach((topic, cells) -> {
        List<ViewDefinition> views = catalog.readingFrom(topic);
        ViewColumns columns = ViewColumns.of(catalog, topic);
        LateEvents.Counts counted = LateEvents.count(spark, cells, views, columns, days -> columns.select(read(topic, range)
            .where(functions.col(MasterDataset.DATE).isin(days.toArray()))));
        for (int i = 0; i < views.size(); i++) {
          counts.put(views.get(i).name(), new Tuple2<>(counted.cells()[i], counted.events()[i]));
          late.put(views.get(i).name(), counted.late()[i]);
        }
      });
      log.info("views folded and written in {} ms, counted (cells, events, late events) in {} ms", written - started,
          System.currentTimeMillis() - written);
      return summaries(counts, late, coverage, range);
    } finally {
      cellsByTopic.values().forEach(c -> c.unpersist(false));
    }
  }

  private Map<String, Manifest.ViewSummary> summaries(Map<String, Tuple2<Long, Long>> counts, Map<String, Long> late,
      Map<String, List<ArchivedRange>> coverage, DateRange range) {
    Map<String, Manifest.ViewSummary> views = new LinkedHashMap<>();
    for (ViewDefinition view : catalog.views()) {
      Tuple2<Long, Long> c = counts.getOrDefault(view.name(), new Tuple2<>(0L, 0L));
      OptionalLong horizon = horizon(view, coverage.get(view.source()), range);
      views.put(view.name(), new Manifest.ViewSummary(view.name(), horizon.isPresent() ? horizon.getAsLong() : null,
          horizon.isPresent() ? Instant.ofEpochMilli(horizon.getAsLong()).toString() : null,
          c._1(), c._2(), late.getOrDefault(view.name(), 0L)));
    }
    return views;
  }

  /** A cell of {@link ViewCells#aggregate} as a snapshot row. */
  private static Row snapshotRow(Row cell, List<ViewDefinition> views) {
    ViewDefinition view = views.get(cell.getInt(0));
    long start = cell.getLong(2);
    CellAggregator.Result c = CellAggregator.Result.decode((byte[]) cell.get(3));
    return RowFactory.create(view.name(), cell.getString(1), start, start + view.bucketWidthMillis(), c.events(), c.measures(),
        c.aggregate());
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

  private Dataset<Row> read(String topic, DateRange range) {
    Path dir = dataset.topicDir(topic);
    Dataset<Row> rows = spark.read().schema(MasterDataset.WRITE_SCHEMA).option("basePath", dir.toString()).parquet(dir.toString());
    if (range.from() != null) {
      rows = rows.where(functions.col(MasterDataset.DATE).geq(range.from().toString()));
    }
    if (range.to() != null) {
      rows = rows.where(functions.col(MasterDataset.DATE).lt(range.to().toString()));
    }
    return rows;
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
