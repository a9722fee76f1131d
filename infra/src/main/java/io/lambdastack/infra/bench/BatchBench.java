package io.lambdastack.infra.bench;

import io.lambdastack.batch.archive.Archiver;
import io.lambdastack.batch.archive.MasterDataset;
import io.lambdastack.batch.recompute.BatchRecompute;
import io.lambdastack.batch.recompute.DateRange;
import io.lambdastack.batch.snapshot.Manifest;
import io.lambdastack.batch.snapshot.SnapshotStore;
import io.lambdastack.infra.platform.EmbeddedPlatform;
import io.lambdastack.infra.platform.StartupChecks;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner;
import io.lambdastack.ingestion.replay.ParquetReplaySource;
import io.lambdastack.ingestion.replay.ReplayTable;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Batch-layer benchmark, one run on a fresh embedded Kafka + HDFS: flights-3m replayed into a topic, archived
 * into the master dataset, then, alternated, the recompute (shared fold, late-event count, snapshot with
 * manifest, publish) against a plain Spark SQL {@code groupBy} computing the same measures over the same
 * Parquet and writing its result. Prints both rates and their ratio.
 */
@Command(name = "bench-batch", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmark: batch recompute rate / plain Spark SQL groupBy rate over the same master dataset (flights-3m).")
public final class BatchBench implements Callable<Integer> {
  static final String TOPIC = "flights";
  static final ViewCatalog VIEWS = ViewFile.parse("bench", """
      views:
        - name: delays_by_origin
          source: flights
          key: [origin]
          bucket: 1d
          measures: [count, mean(delay), min(delay), max(delay), sum(distance)]
      """);

  @Option(names = "--file", defaultValue = "data/cache/flights-3m.parquet", description = "the dataset (scripts/fetch-flights.sh)")
  Path file;

  @Option(names = "--rounds", defaultValue = "3", description = "alternated rounds of each side (default ${DEFAULT-VALUE})")
  int rounds;

  @Override
  public Integer call() throws Exception {
    int[] ports = StartupChecks.freePorts(3);
    try (BenchDir scratch = BenchDir.create("lambda-bench-batch-");
        EmbeddedPlatform platform = EmbeddedPlatform.start(scratch.path(), ports[0], ports[1], ports[2])) {
      long rows = load(platform);
      SparkConf conf = new SparkConf().setAppName("bench-batch");
      platform.sparkConf().forEach(conf::set);
      conf.set("spark.master", "local[2]");
      SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
      try {
        MasterDataset dataset = new MasterDataset(platform.hdfsUri() + "/bench/master");
        long t0 = System.nanoTime();
        Archiver.Result archived = new Archiver(spark, dataset, platform.bootstrapServers(), 250_000).archive(TOPIC);
        double archiveSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("archive: %,d events in %.1f s (%,.0f events/s), %d files%n", archived.rows(), archiveSeconds,
            archived.rows() / archiveSeconds, archived.files());
        compare(spark, platform, dataset, rows);
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  private long load(EmbeddedPlatform platform) throws Exception {
    long t0 = System.nanoTime();
    ReplayTable table = ParquetReplaySource.load(file, "date");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()))) {
      new TopicProvisioner(admin).ensure(List.of(TopicProvisioner.TopicSpec.of(TOPIC, 3)), Duration.ofSeconds(60));
    }
    try (EventPublisher publisher = new EventPublisher(platform.bootstrapServers(), "bench-batch")) {
      for (int i = 0; i < table.size(); i++) {
        Event e = table.event(i);
        publisher.send(TOPIC, e.attributes().get("origin"), e);
      }
      publisher.flush();
      if (publisher.failed() > 0) {
        throw new IllegalStateException(publisher.failed() + " sends failed");
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("loaded %s: %,d flights into topic %s in %.1f s%n", file, table.size(), TOPIC, seconds);
    return table.size();
  }

  private void compare(SparkSession spark, EmbeddedPlatform platform, MasterDataset dataset, long rows) throws Exception {
    String views = platform.hdfsUri() + "/bench/views";
    SnapshotStore store = new SnapshotStore(FileSystem.get(URI.create(views), spark.sparkContext().hadoopConfiguration()), views);
    List<Double> recompute = new ArrayList<>();
    List<Double> sql = new ArrayList<>();
    Manifest last = null;
    long sqlBuckets = 0;
    for (int round = 1; round <= rounds; round++) {
      long t0 = System.nanoTime();
      last = new BatchRecompute(spark, VIEWS, dataset, store, 2).run(DateRange.ALL);
      recompute.add((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      sqlBuckets = plainSql(spark, dataset, platform.hdfsUri() + "/bench/sql-out");
      sql.add((System.nanoTime() - t0) / 1e9);
      System.out.printf("round %d: recompute %.2f s, Spark SQL groupBy %.2f s%n", round, recompute.get(round - 1), sql.get(round - 1));
    }
    Manifest.ViewSummary v = last.views().get("delays_by_origin");
    if (v.buckets() != sqlBuckets || v.events() != rows) {
      throw new IllegalStateException("results disagree: recompute " + v.buckets() + " buckets / " + v.events()
          + " events, SQL " + sqlBuckets + " buckets / " + rows + " rows");
    }
    double bestRecompute = recompute.stream().mapToDouble(d -> d).min().orElseThrow();
    double bestSql = sql.stream().mapToDouble(d -> d).min().orElseThrow();
    System.out.printf("both: %,d buckets (origin x day) from %,d events%n", sqlBuckets, rows);
    System.out.printf("RECOMPUTE: %,.0f events/s (%.2f s) / Spark SQL groupBy %,.0f events/s (%.2f s) = ratio %.2f (goal >= 0.8; best of %d each)%n",
        rows / bestRecompute, bestRecompute, rows / bestSql, bestSql, bestSql / bestRecompute, rounds);
  }

  /** The same measures in plain Spark SQL over the same Parquet, written out like a snapshot. */
  private static long plainSql(SparkSession spark, MasterDataset dataset, String out) {
    String dir = dataset.topicDir(TOPIC).toString();
    Dataset<Row> master = spark.read().schema(MasterDataset.WRITE_SCHEMA).option("basePath", dir).parquet(dir);
    Dataset<Row> result = master
        .groupBy(functions.col("attributes").getItem("origin").as("key"),
            functions.floor(functions.col("event_time").divide(86_400_000L)).multiply(86_400_000L).as("bucket_start"))
        .agg(functions.count(functions.lit(1)).as("count"), functions.avg(functions.col("values").getItem("delay")).as("mean_delay"),
            functions.min(functions.col("values").getItem("delay")).as("min_delay"),
            functions.max(functions.col("values").getItem("delay")).as("max_delay"),
            functions.sum(functions.col("values").getItem("distance")).as("sum_distance"));
    result.write().mode("overwrite").parquet(out);
    return spark.read().parquet(out).count();
  }
}
