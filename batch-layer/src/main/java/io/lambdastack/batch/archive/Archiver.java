package io.lambdastack.batch.archive;

import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.kafka.CommittedRangeReader;
import io.lambdastack.view.kafka.TopicRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Archives a topic into the master dataset, one run at a time:
 *
 * <ol>
 *   <li>recover: finish the moves of a committed run, drop staging of runs that never committed;
 *   <li>ranges: from where the committed runs end (else the earliest offset) to the end of the committed
 *       transactions (read_committed), per partition;
 *   <li>read the ranges with {@link CommittedRangeReader} (pieces of at most {@code maxRecordsPerTask}), write
 *       Parquet partitioned by date/hour into {@code _staging/run-N};
 *   <li>commit: {@code _archive/run-N.json} appears atomically (the commit point), then the files move into
 *       {@code date=/hour=} directories, prefixed with the run so names never clash.
 * </ol>
 *
 * A crash before the commit loses nothing (the next run reads the same offsets again); after it, the next
 * start finishes the moves. Either way every offset is in the dataset exactly once.
 */
public final class Archiver {
  /** The points a crash test may interrupt (see {@link #crashHook}). */
  public enum Stage { STAGED, COMMITTED }

  private final SparkSession spark;
  private final MasterDataset dataset;
  private final String bootstrapServers;
  private final long maxRecordsPerTask;
  private Consumer<Stage> crashHook = stage -> {};

  public Archiver(SparkSession spark, MasterDataset dataset, String bootstrapServers, long maxRecordsPerTask) {
    this.spark = spark;
    this.dataset = dataset;
    this.bootstrapServers = bootstrapServers;
    this.maxRecordsPerTask = maxRecordsPerTask;
  }

  /** For tests: called after each stage; throwing from it simulates a crash there. */
  public Archiver crashHook(Consumer<Stage> hook) {
    this.crashHook = hook;
    return this;
  }

  /** The outcome of one run for one topic ({@code run} 0 when there was nothing new). */
  public record Result(String topic, long run, List<ArchivedRange> ranges, long rows, long rejected, int files,
      int recoveredMoves, int discardedStaging, long millis) {}

  public Result archive(String topic) {
    long started = System.currentTimeMillis();
    FileSystem fs = fileSystem();
    ArchiveLog log = new ArchiveLog(fs, dataset, topic);
    List<ArchiveRun> runs = log.runs();
    int[] recovered = log.recover(runs);
    List<TopicRange> ranges = nextRanges(topic, ArchiveLog.progress(runs));
    if (ranges.stream().allMatch(TopicRange::isEmpty)) {
      return new Result(topic, 0, List.of(), 0, 0, 0, recovered[0], recovered[1], System.currentTimeMillis() - started);
    }
    long run = log.nextRun(runs);
    JavaRDD<ArchivedRecord> records = read(ranges);
    try {
      List<ArchivedRange> archived = stats(records, ranges);
      writeStaging(records, topic, run);
      List<ArchiveRun.FileMove> files = stagedFiles(fs, topic, run);
      crashHook.accept(Stage.STAGED);
      ArchiveRun committed = new ArchiveRun(run, topic, System.currentTimeMillis(), archived, files);
      log.commit(committed);
      crashHook.accept(Stage.COMMITTED);
      log.moveIntoPlace(committed);
      return new Result(topic, run, archived, committed.rows(), committed.rejected(), files.size(),
          recovered[0], recovered[1], System.currentTimeMillis() - started);
    } finally {
      records.unpersist(false);
    }
  }

  private List<TopicRange> nextRanges(String topic, Map<Integer, Long> progress) {
    KafkaOffsets offsets = KafkaOffsets.of(bootstrapServers, topic);
    List<TopicRange> ranges = new ArrayList<>();
    offsets.committedEnd().forEach((partition, end) -> {
      long earliest = offsets.earliest().getOrDefault(partition, 0L);
      long from = progress.getOrDefault(partition, earliest);
      if (from < earliest) {
        throw new ConfigException("offsets " + from + ".." + earliest + " of " + topic + "-" + partition
            + " were deleted by retention before they were archived: raise the topic's retention.ms and archive more often");
      }
      ranges.add(new TopicRange(topic, partition, from, Math.max(from, end)));
    });
    return ranges;
  }

  private JavaRDD<ArchivedRecord> read(List<TopicRange> ranges) {
    List<TopicRange> pieces = new ArrayList<>();
    ranges.forEach(r -> pieces.addAll(r.split(maxRecordsPerTask)));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String bootstrap = bootstrapServers;
    return jsc.parallelize(pieces, Math.max(1, pieces.size()))
        .flatMap(piece -> CommittedRangeReader.readRange(piece, bootstrap).stream().map(ArchivedRecord::of).iterator())
        .persist(StorageLevel.MEMORY_AND_DISK_SER()); // read from Kafka once: stats, data and rejected all use it
  }

  private static List<ArchivedRange> stats(JavaRDD<ArchivedRecord> records, List<TopicRange> ranges) {
    Map<Integer, ArchivedRange> found = new TreeMap<>(records
        .mapToPair(r -> new Tuple2<>(r.partition(), r.isEvent()
            ? ArchivedRange.empty(r.partition(), r.offset(), r.offset() + 1).plusEvent(r.event().eventTime())
            : ArchivedRange.empty(r.partition(), r.offset(), r.offset() + 1).plusRejected()))
        .reduceByKey(ArchivedRange::merge)
        .collectAsMap());
    List<ArchivedRange> result = new ArrayList<>();
    for (TopicRange r : ranges) {
      if (r.isEmpty()) {
        continue;
      }
      ArchivedRange seen = found.getOrDefault(r.partition(), ArchivedRange.empty(r.partition(), r.from(), r.until()));
      // The range is what was read (markers and aborted records included), whatever offsets the records had.
      result.add(new ArchivedRange(r.partition(), r.from(), r.until(), seen.rows(), seen.rejected(),
          seen.minEventTime(), seen.maxEventTime()));
    }
    return result;
  }

  private void writeStaging(JavaRDD<ArchivedRecord> records, String topic, long run) {
    spark.createDataFrame(records.filter(ArchivedRecord::isEvent)
            .map(r -> MasterDataset.row(r.topic(), r.partition(), r.offset(), r.kafkaTimestamp(), r.event())),
            MasterDataset.WRITE_SCHEMA)
        // One task per date/hour: one file per hour and run, not one per hour and Kafka piece (a replay of
        // months would otherwise write pieces x hours small files).
        .repartition(functions.col(MasterDataset.DATE), functions.col(MasterDataset.HOUR))
        .write().mode(SaveMode.Overwrite)
        .partitionBy(MasterDataset.DATE, MasterDataset.HOUR)
        .parquet(dataset.stagingDir(topic, run).toString());
    JavaRDD<String> rejected = records.filter(r -> !r.isEvent()).map(ArchivedRecord::rejectedJson);
    if (!rejected.isEmpty()) {
      Path dir = dataset.rejectedDir(topic, run);
      delete(dir);
      rejected.coalesce(1).saveAsTextFile(dir.toString());
    }
  }

  private List<ArchiveRun.FileMove> stagedFiles(FileSystem fs, String topic, long run) {
    Path staging = dataset.stagingDir(topic, run);
    String base = fs.makeQualified(staging).toUri().getPath() + "/";
    List<ArchiveRun.FileMove> moves = new ArrayList<>();
    try {
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(staging, true);
      while (files.hasNext()) {
        Path p = files.next().getPath();
        if (p.getName().endsWith(".parquet")) {
          String relative = p.toUri().getPath().substring(base.length()); // date=…/hour=…/part-….parquet
          String dir = relative.substring(0, relative.lastIndexOf('/') + 1);
          moves.add(new ArchiveRun.FileMove(relative, dir + ArchiveLog.runName(run) + "-" + p.getName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing staged files in " + staging + ": " + e.getMessage(), e);
    }
    return moves;
  }

  private void delete(Path dir) {
    try {
      fileSystem().delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FileSystem fileSystem() {
    try {
      return FileSystem.get(URI.create(dataset.root().toString()), spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new ConfigException("cannot open the master dataset at " + dataset.root() + ": " + e.getMessage());
    }
  }
}
