package io.lambdastack.batch.cli;

import io.lambdastack.batch.archive.Archiver;
import io.lambdastack.batch.recompute.BatchRecompute;
import io.lambdastack.batch.recompute.DateRange;
import io.lambdastack.batch.snapshot.Manifest;
import io.lambdastack.batch.snapshot.SnapshotStore;
import io.lambdastack.view.definition.ViewCatalog;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** One batch cycle, archive then recompute, with a progress line per step (used by the CLI and the demo). */
public final class BatchCycle {
  private final SparkSession spark;
  private final ViewCatalog catalog;
  private final BatchOptions options;
  private final String bootstrapServers;
  private final long maxRecordsPerTask;
  private final PrintStream out;

  public BatchCycle(SparkSession spark, ViewCatalog catalog, BatchOptions options, String bootstrapServers,
      long maxRecordsPerTask, PrintStream out) {
    this.spark = spark;
    this.catalog = catalog;
    this.options = options;
    this.bootstrapServers = bootstrapServers;
    this.maxRecordsPerTask = maxRecordsPerTask;
    this.out = out;
  }

  public Manifest runOnce(DateRange range) {
    archive();
    return recompute(range);
  }

  public List<Archiver.Result> archive() {
    Archiver archiver = new Archiver(spark, options.dataset(), bootstrapServers, maxRecordsPerTask);
    List<Archiver.Result> results = new ArrayList<>();
    for (String topic : catalog.sourceTopics()) {
      Archiver.Result r = archiver.archive(topic);
      results.add(r);
      String recovered = r.recoveredMoves() + r.discardedStaging() == 0 ? ""
          : " (recovered a crash: " + r.recoveredMoves() + " files moved, " + r.discardedStaging() + " uncommitted runs discarded)";
      if (r.run() == 0) {
        out.println("archive " + topic + ": nothing new" + recovered);
      } else {
        out.printf("archive %s: %s, %,d events (%,d rejected) from %d partitions into %d files in %.1f s (%,.0f events/s)%s%n",
            topic, io.lambdastack.batch.archive.ArchiveLog.runName(r.run()), r.rows(), r.rejected(), r.ranges().size(),
            r.files(), r.millis() / 1000.0, r.rows() * 1000.0 / Math.max(1, r.millis()), recovered);
      }
    }
    return results;
  }

  public Manifest recompute(DateRange range) {
    SnapshotStore store = options.store(spark.sparkContext().hadoopConfiguration());
    Manifest m = new BatchRecompute(spark, catalog, options.dataset(), store, options.keep()).run(range);
    long events = m.inputs().values().stream().mapToLong(Manifest.Input::rows).sum();
    boolean published = range.isAll();
    out.printf("recompute: %s %s, %,d events, %d views in %.1f s (%,.0f events/s)%n",
        published ? "published" : "wrote (a date range: not published)", SnapshotStore.versionName(m.version()),
        events, m.views().size(), m.millis() / 1000.0, events * 1000.0 / Math.max(1, m.millis()));
    BatchApp.print(out, m, published);
    return m;
  }
}
