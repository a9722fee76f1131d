package io.lambdastack.batch.cli;

import io.lambdastack.batch.archive.Archiver;
import io.lambdastack.batch.recompute.BatchRecompute;
import io.lambdastack.batch.recompute.DateRange;
import io.lambdastack.batch.recompute.MasterDatasetException;
import io.lambdastack.batch.snapshot.Manifest;
import io.lambdastack.batch.snapshot.SnapshotStore;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.config.KafkaBootstrap;
import io.lambdastack.view.config.OneLineErrors;
import io.lambdastack.view.config.StopSignal;
import io.lambdastack.view.definition.Durations;
import io.lambdastack.view.definition.ViewCatalog;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lambda batch …}: the batch layer. Also the main class of the batch layer's spark-submit jar.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "The batch layer: archive the clean topic into the master dataset (HDFS Parquet), recompute every view, publish versioned snapshots.",
    subcommands = {BatchApp.Run.class, BatchApp.Archive.class, BatchApp.Recompute.class, BatchApp.Rollback.class,
        BatchApp.ListVersions.class, CommandLine.HelpCommand.class})
public final class BatchApp implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(OneLineErrors.execute(new BatchApp(), args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Archive, then recompute and publish: once, or --every interval until SIGTERM/Ctrl-C.")
  public static final class Run implements Callable<Integer> {
    @Mixin BatchOptions options;
    @Mixin KafkaBootstrap kafka;
    @Mixin Range range;

    @Option(names = "--every", description = "repeat at this interval (e.g. 10m, 30s) until stopped")
    String every;

    @Option(names = "--max-records-per-task", defaultValue = "200000", description = "records one archive task reads (default ${DEFAULT-VALUE})")
    long maxRecordsPerTask;

    @Override
    public Integer call() throws InterruptedException {
      Duration interval = every == null ? null : interval(every);
      ViewCatalog catalog = options.catalog();
      SparkSession spark = options.spark();
      BatchCycle cycle = new BatchCycle(spark, catalog, options, kafka.servers(), maxRecordsPerTask, System.out);
      if (interval == null) {
        cycle.runOnce(range.range());
        return 0;
      }
      StopSignal stop = StopSignal.install();
      System.out.println("batch layer: every " + every + " until SIGTERM/Ctrl-C");
      while (true) {
        try {
          cycle.runOnce(range.range());
        } catch (MasterDatasetException e) {
          // A bad file needs a person, but the published snapshot still serves: say it and try again next time.
          System.err.println("error: " + e.getMessage() + " (the published snapshot is unchanged)");
        }
        String signal = stop.await(interval);
        if (signal != null) {
          System.out.println("batch layer stopped on " + signal);
          return 0;
        }
      }
    }
  }

  @Command(name = "archive", mixinStandardHelpOptions = true,
      description = "Archive the views' source topics (committed records, from where the last run ended) into the master dataset.")
  public static final class Archive implements Callable<Integer> {
    @Mixin BatchOptions options;
    @Mixin KafkaBootstrap kafka;

    @Option(names = "--max-records-per-task", defaultValue = "200000", description = "records one task reads (default ${DEFAULT-VALUE})")
    long maxRecordsPerTask;

    @Override
    public Integer call() {
      new BatchCycle(options.spark(), options.catalog(), options, kafka.servers(), maxRecordsPerTask, System.out).archive();
      return 0;
    }
  }

  @Command(name = "recompute", mixinStandardHelpOptions = true,
      description = "Recompute every view from the master dataset into a new snapshot version and publish it.")
  public static final class Recompute implements Callable<Integer> {
    @Mixin BatchOptions options;
    @Mixin Range range;

    @Override
    public Integer call() {
      new BatchCycle(options.spark(), options.catalog(), options, null, 0, System.out).recompute(range.range());
      return 0;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Publish the version before the current one (or --to vN): one atomic flip of LATEST.")
  public static final class Rollback implements Callable<Integer> {
    @Mixin BatchOptions options;

    @Option(names = "--to", description = "the version to publish, e.g. v000003 or 3")
    String to;

    @Override
    public Integer call() {
      SnapshotStore store = options.store(options.hadoop());
      OptionalLong before = store.latest();
      long now = store.rollback(to == null ? OptionalLong.empty() : OptionalLong.of(parseVersion(to)));
      System.out.println("published " + SnapshotStore.versionName(now) + " (was "
          + (before.isPresent() ? SnapshotStore.versionName(before.getAsLong()) : "none") + ")");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The snapshot versions, the published one marked with *.")
  public static final class ListVersions implements Callable<Integer> {
    @Mixin BatchOptions options;

    @Override
    public Integer call() {
      SnapshotStore store = options.store(options.hadoop());
      OptionalLong latest = store.latest();
      List<Manifest> versions = store.versions();
      if (versions.isEmpty()) {
        System.out.println("no snapshot versions under " + store.root());
      }
      for (Manifest m : versions) {
        print(System.out, m, latest.isPresent() && latest.getAsLong() == m.version());
      }
      return 0;
    }
  }

  /** Optional event-day range of a recompute. */
  static final class Range {
    @Option(names = "--from", description = "first event day to include (UTC, e.g. 2026-11-01); default: all")
    String from;

    @Option(names = "--to", description = "first event day to exclude (UTC); default: all")
    String to;

    DateRange range() {
      return DateRange.parse(from, to);
    }
  }

  static void print(PrintStream out, Manifest m, boolean published) {
    out.printf("%s %s  created %s  %s%n", published ? "*" : " ", SnapshotStore.versionName(m.version()),
        java.time.Instant.ofEpochMilli(m.createdAt()), m.codeVersion());
    m.views().values().forEach(v -> out.printf("      %-24s horizon %-24s %,d buckets, %,d events, %,d late%n",
        v.view(), v.horizonIso() == null ? "-" : v.horizonIso(), v.buckets(), v.events(), v.lateEvents()));
  }

  static long parseVersion(String text) {
    String digits = text.startsWith("v") ? text.substring(1) : text;
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new ConfigException("--to '" + text + "' is not a version like v000003");
    }
  }

  static Duration interval(String text) {
    Duration d = Durations.option("--every", text);
    if (d.toMillis() < 1000) {
      throw new ConfigException("--every " + text + " is below 1s");
    }
    return d;
  }
}
