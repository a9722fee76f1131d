package io.lambdastack.infra.kappa;

import io.lambdastack.batch.archive.KafkaOffsets;
import io.lambdastack.batch.snapshot.SnapshotRows;
import io.lambdastack.batch.snapshot.SnapshotStore;
import io.lambdastack.ingestion.kafka.TopicProvisioner;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.speed.job.SpeedLayerJob;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.update.ViewUpdate;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Kappa mode, Kreps' recipe: to recompute a view, replay its source topic from the earliest offset through
 * the speed layer's own job (same code, new consumer group, new checkpoint) into a NEW output topic
 * {@code <speed-views>-<view>-v<N>}; when it has caught up with the log's end as of the start, stop it. The
 * serving layer can then be pointed at the new topic and the old one dropped. Optionally compares the
 * result with the published batch snapshot (Lambda), bucket by bucket.
 */
public final class Reprocess {
  private final String bootstrapServers;
  private final ViewDefinition view;
  private final String speedViewTopic;
  private final String checkpointRoot;
  private final Duration batchInterval;
  private final Map<String, String> sparkConf;
  private final PrintStream out;

  public Reprocess(String bootstrapServers, ViewCatalog views, String viewName, String speedViewTopic, String checkpointRoot,
      Duration batchInterval, Map<String, String> sparkConf, PrintStream out) {
    this.bootstrapServers = bootstrapServers;
    this.view = views.view(viewName).orElseThrow(() -> new ConfigException("--view: no view named '" + viewName + "' (views: "
        + views.views().stream().map(ViewDefinition::name).toList() + ")"));
    if (!view.isBuckets()) {
      throw new ConfigException("--view " + viewName + " is a " + view.kind().name().toLowerCase()
          + " view; reprocess recomputes event-time bucket views (the kind the batch layer also computes)");
    }
    this.speedViewTopic = speedViewTopic;
    this.checkpointRoot = checkpointRoot;
    this.batchInterval = batchInterval;
    this.sparkConf = sparkConf;
    this.out = out;
  }

  /** @param comparison null when there was no batch snapshot to compare with */
  public record Result(String view, int version, String outputTopic, long buckets, long events, long millis,
      Long batchVersion, ViewComparison comparison) {}

  /** @param snapshots the batch views' root, to compare with its published version; null to skip */
  public Result run(String snapshots) throws InterruptedException {
    long started = System.currentTimeMillis();
    int version;
    String topic;
    try (Admin admin = admin()) {
      version = nextVersion(admin);
      topic = speedViewTopic + "-" + view.name() + "-v" + version;
      new TopicProvisioner(admin).ensure(List.of(TopicSpec.compacted(topic, 3)), Duration.ofSeconds(60));
    }
    Map<Integer, Long> target = KafkaOffsets.of(bootstrapServers, view.source()).committedEnd();
    long total = target.values().stream().mapToLong(Long::longValue).sum();
    out.printf("reprocess %s: replaying %s from the earliest offset (%,d offsets) through the speed layer into %s%n",
        view.name(), view.source(), total, topic);
    SpeedLayerSettings settings = new SpeedLayerSettings(new ViewCatalog(List.of(view)), bootstrapServers,
        "lambda-reprocess-" + view.name() + "-v" + version, topic, checkpointRoot + "/reprocess-" + view.name() + "-v" + version,
        batchInterval, sparkConf);
    JavaStreamingContext ssc = SpeedLayerJob.getOrCreate(settings).context();
    try {
      ssc.start();
      awaitCaughtUp(ssc, settings.groupId(), target, total, started);
      ssc.stop(false, true);
      SpeedLayerJob.commitCompleted(settings);
      Map<String, ViewUpdate> kappa = readTopic(topic);
      long events = kappa.values().stream().mapToLong(ViewUpdate::events).sum();
      out.printf("reprocess %s: %,d buckets from %,d events into %s in %.1f s%n", view.name(), kappa.size(), events, topic,
          (System.currentTimeMillis() - started) / 1000.0);
      Long batchVersion = null;
      ViewComparison comparison = null;
      if (snapshots != null) {
        SparkSession spark = SparkSession.builder().getOrCreate(); // the job's context, still running
        SnapshotStore store = new SnapshotStore(FileSystem.get(URI.create(snapshots), spark.sparkContext().hadoopConfiguration()), snapshots);
        OptionalLong latest = store.latest();
        if (latest.isPresent()) {
          batchVersion = latest.getAsLong();
          comparison = ViewComparison.of(readSnapshot(spark, store, latest.getAsLong()), kappa);
          out.println("lambda (batch " + SnapshotStore.versionName(batchVersion) + ") vs kappa (" + topic + "): " + comparison);
        } else {
          out.println("no published batch snapshot under " + snapshots + " to compare with");
        }
      }
      return new Result(view.name(), version, topic, kappa.size(), events, System.currentTimeMillis() - started, batchVersion, comparison);
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot open the batch snapshots at " + snapshots + ": " + e.getMessage());
    } finally {
      ssc.stop(true, false);
    }
  }

  private void awaitCaughtUp(JavaStreamingContext ssc, String group, Map<Integer, Long> target, long total, long started)
      throws InterruptedException {
    long lastReport = System.currentTimeMillis();
    try (Admin admin = admin()) {
      while (true) {
        if (ssc.awaitTerminationOrTimeout(1000)) {
          throw new IllegalStateException("the reprocessing job stopped before it caught up");
        }
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
          committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          continue; // the group may not exist before its first commit
        }
        long done = 0;
        boolean caughtUp = true;
        for (Map.Entry<Integer, Long> t : target.entrySet()) {
          OffsetAndMetadata c = committed.get(new TopicPartition(view.source(), t.getKey()));
          long at = c == null ? 0 : c.offset();
          done += Math.min(at, t.getValue());
          caughtUp &= at >= t.getValue();
        }
        if (caughtUp) {
          return;
        }
        if (System.currentTimeMillis() - lastReport >= 5000) {
          lastReport = System.currentTimeMillis();
          double seconds = (lastReport - started) / 1000.0;
          out.printf("reprocess %s: %,d / %,d offsets (%.0f %%, %,.0f offsets/s)%n", view.name(), done, total,
              100.0 * done / Math.max(1, total), done / seconds);
        }
      }
    }
  }

  private int nextVersion(Admin admin) throws InterruptedException {
    Pattern p = Pattern.compile(Pattern.quote(speedViewTopic + "-" + view.name() + "-v") + "(\\d+)");
    try {
      int max = 0;
      for (String name : admin.listTopics().names().get(20, TimeUnit.SECONDS)) {
        Matcher m = p.matcher(name);
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
      return max + 1;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new ConfigException("cannot list topics on " + bootstrapServers + ": " + e.getMessage());
    }
  }

  /** The latest upsert per cell of a compacted speed-view topic, read to its end. */
  private Map<String, ViewUpdate> readTopic(String topic) {
    Map<String, ViewUpdate> cells = new HashMap<>();
    io.lambdastack.view.kafka.CompactedTopic.latest(bootstrapServers, topic).values()
        .forEach(u -> cells.put(u.key() + "@" + u.bucketStart(), u));
    return cells;
  }

  private Map<String, ViewUpdate> readSnapshot(SparkSession spark, SnapshotStore store, long version) {
    Map<String, ViewUpdate> cells = new HashMap<>();
    for (Row r : spark.read().parquet(store.versionDir(version).toString()).where(org.apache.spark.sql.functions.col("view")
        .equalTo(view.name())).collectAsList()) {
      ViewUpdate u = SnapshotRows.update(r, 0);
      cells.put(u.key() + "@" + u.bucketStart(), u);
    }
    return cells;
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }
}
