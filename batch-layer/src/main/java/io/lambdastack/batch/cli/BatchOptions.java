package io.lambdastack.batch.cli;

import io.lambdastack.batch.archive.MasterDataset;
import io.lambdastack.batch.snapshot.SnapshotStore;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.ViewCatalog;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Where the batch layer's data lives and how it runs Spark: shared by every {@code batch} subcommand. */
public final class BatchOptions {
  @picocli.CommandLine.Mixin
  io.lambdastack.view.config.ViewFileOption views;

  @Option(names = "--master-dataset", defaultValue = "${env:LAMBDA_MASTER_DATASET:-hdfs://127.0.0.1:19820/lambda/master}",
      description = "root of the master dataset (env LAMBDA_MASTER_DATASET; default ${DEFAULT-VALUE})")
  String masterDataset;

  @Option(names = "--snapshots", defaultValue = "${env:LAMBDA_BATCH_VIEWS:-hdfs://127.0.0.1:19820/lambda/batch-views}",
      description = "root of the batch view versions (env LAMBDA_BATCH_VIEWS; default ${DEFAULT-VALUE})")
  String snapshots;

  @Option(names = "--keep", defaultValue = "5", description = "complete versions kept for rollback (default ${DEFAULT-VALUE})")
  int keep;

  @Option(names = "--conf", description = "extra Spark setting key=value (repeatable); spark.hadoop.* also reach HDFS")
  Map<String, String> sparkConf = new LinkedHashMap<>();

  /** Options for an embedded run (the demo), where the views and Spark are already there. */
  public static BatchOptions of(String masterDataset, String snapshots, int keep) {
    BatchOptions o = new BatchOptions();
    o.masterDataset = masterDataset;
    o.snapshots = snapshots;
    o.keep = keep;
    return o;
  }

  public ViewCatalog catalog() {
    return views.load();
  }

  public MasterDataset dataset() {
    requireUri("--master-dataset", masterDataset);
    return new MasterDataset(masterDataset);
  }

  public SnapshotStore store(Configuration hadoop) {
    requireUri("--snapshots", snapshots);
    if (keep < 1) {
      throw new ConfigException("--keep must be at least 1, was " + keep);
    }
    try {
      return new SnapshotStore(FileSystem.get(URI.create(snapshots), hadoop), snapshots);
    } catch (IOException e) {
      throw new ConfigException("cannot open --snapshots " + snapshots + ": " + e.getMessage());
    }
  }

  public int keep() {
    return keep;
  }

  /** The active Spark session (the demo's, under spark-submit the submitted one) or a new local one. */
  public SparkSession spark() {
    SparkConf conf = new SparkConf().setAppName("lambda-batch-layer").setIfMissing("spark.master", "local[*]")
        .setIfMissing("spark.ui.enabled", "false");
    sparkConf.forEach(conf::set);
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** Hadoop settings without Spark (rollback and list): the {@code spark.hadoop.*} entries, as Spark does. */
  public Configuration hadoop() {
    return io.lambdastack.view.spark.SparkHadoopConf.of(sparkConf);
  }

  private static void requireUri(String option, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null) {
        throw new ConfigException(option + " '" + value + "' needs a scheme, e.g. hdfs://127.0.0.1:19820/lambda/master or file:///tmp/master");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + " '" + value + "' is not a URI: " + e.getMessage());
    }
  }
}
