package io.lambdastack.infra.platform;

import io.lambdastack.batch.cli.BatchCycle;
import io.lambdastack.batch.cli.BatchOptions;
import io.lambdastack.ingestion.generator.GeneratorLoop;
import io.lambdastack.ingestion.generator.SensorTemperatureGenerator;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.ingestion.validation.Validator;
import io.lambdastack.ingestion.validation.ValidatorSettings;
import io.lambdastack.serving.ServingLayer;
import io.lambdastack.speed.job.SpeedLayerJob;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.speed.metrics.SpeedStatus;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.config.Settings;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./lambda demo}: the embedded platform with data flowing. Starts Kafka and HDFS, creates the topics,
 * starts the sensor generator, the speed layer (recovering from its HDFS checkpoint on a second run) and the
 * serving layer. {@link #close()} stops them in reverse order, the speed layer gracefully.
 */
public final class Demo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Demo.class);
  private final List<AutoCloseable> stack = new ArrayList<>();
  private ServingLayer serving;

  public static Demo start(Settings s) throws Exception {
    Demo demo = new Demo();
    try {
      demo.startAll(s);
      return demo;
    } catch (Exception | Error e) {
      demo.close();
      throw e;
    }
  }

  private void startAll(Settings s) throws Exception {
    ViewCatalog views = ViewFile.load(Path.of(s.get(PlatformSettings.VIEWS)));
    Path stateDir = StartupChecks.requireWritableDir(s.get(PlatformSettings.STATE_DIR), PlatformSettings.STATE_DIR);
    StartupChecks.requirePortFree(s.get(PlatformSettings.KAFKA_PORT), PlatformSettings.KAFKA_PORT);
    StartupChecks.requirePortFree(s.get(PlatformSettings.KAFKA_CONTROLLER_PORT), PlatformSettings.KAFKA_CONTROLLER_PORT);
    StartupChecks.requirePortFree(s.get(PlatformSettings.HDFS_PORT), PlatformSettings.HDFS_PORT);
    StartupChecks.requirePortFree(s.get(PlatformSettings.SERVING_PORT), PlatformSettings.SERVING_PORT);

    EmbeddedPlatform platform = EmbeddedPlatform.start(stateDir, s.get(PlatformSettings.KAFKA_PORT),
        s.get(PlatformSettings.KAFKA_CONTROLLER_PORT), s.get(PlatformSettings.HDFS_PORT));
    stack.add(platform);
    String readings = s.get(PlatformSettings.SOURCE_TOPIC);
    String speedViews = s.get(PlatformSettings.SPEED_VIEW_TOPIC);
    if (!views.sourceTopics().contains(readings)) {
      throw new ConfigException("no view reads the generator's topic '" + readings + "' (views read " + views.sourceTopics()
          + "): set topics.readings or a view's source");
    }
    ValidatorSettings validation = new ValidatorSettings("lambda-validator", platform.bootstrapServers(),
        s.get(PlatformSettings.RAW_TOPIC), readings, s.get(PlatformSettings.DEAD_LETTER_TOPIC),
        s.get(PlatformSettings.DUPLICATES_TOPIC), 64 * 1024, Duration.ofHours(1), stateDir.resolve("validator").toString());
    createTopics(platform.bootstrapServers(), views, speedViews, validation);
    Validator validator = Validator.start(validation, Duration.ofSeconds(60));
    stack.add(validator);

    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SpeedStatus.bindTo(metrics);
    serving = ServingLayer.start(platform.bootstrapServers(), speedViews, s.get(PlatformSettings.SERVING_PORT), views, metrics);
    stack.add(serving);

    SpeedLayerSettings speed = new SpeedLayerSettings(views, platform.bootstrapServers(), "lambda-speed-layer", speedViews,
        platform.hdfsUri() + "/lambda/checkpoints/speed-layer", s.get(PlatformSettings.BATCH_INTERVAL), platform.sparkConf());
    SpeedLayerJob.Started started;
    try {
      started = SpeedLayerJob.getOrCreate(speed);
    } catch (ConfigException e) {
      if (!e.getMessage().startsWith("the checkpoint ")) {
        throw e;
      }
      // The demo has no --upgrade or --checkpoint: its checkpoint lives in the state directory, with the topics it rebuilds from.
      throw new ConfigException(e.getMessage() + " (in ./lambda demo: set state.dir to a new directory, or delete " + stateDir + ")");
    }
    JavaStreamingContext ssc = started.context();
    ssc.start();
    watch(ssc);
    log.info("speed layer {} (checkpoint {})", started.recovered() ? "recovered from its checkpoint" : "started fresh",
        speed.checkpointDir());
    stack.add(() -> {
      long t0 = System.nanoTime();
      stopWithin(ssc, 10_000);
      long t1 = System.nanoTime();
      try {
        SpeedLayerJob.commitCompleted(speed); // the last batch's offsets too (SPARK-20050)
      } catch (RuntimeException e) {
        log.warn("could not commit the last batches' offsets ({}); the checkpoint has them", e.toString());
      }
      log.info("speed layer stopped in {} ms, last offsets committed in {} ms", (t1 - t0) / 1_000_000,
          (System.nanoTime() - t1) / 1_000_000);
    });

    Duration batchEvery = s.get(PlatformSettings.BATCH_EVERY);
    if (!batchEvery.isZero()) {
      BatchOptions batch = BatchOptions.of(platform.hdfsUri() + "/lambda/master", platform.hdfsUri() + "/lambda/batch-views", 5);
      BatchCycle cycle = new BatchCycle(SparkSession.builder().getOrCreate(), views, batch, platform.bootstrapServers(), 200_000, System.out);
      stack.add(new BatchSchedule(cycle, ssc.sparkContext().sc(), batchEvery.dividedBy(2), batchEvery));
      log.info("batch layer every {}: master dataset {}/lambda/master, snapshots {}/lambda/batch-views", batchEvery,
          platform.hdfsUri(), platform.hdfsUri());
    }

    EventPublisher publisher = new EventPublisher(platform.bootstrapServers(), "demo-generator");
    GeneratorLoop generator = new GeneratorLoop(new SensorTemperatureGenerator(s.get(PlatformSettings.SENSORS), System.nanoTime()),
        publisher, validation.rawTopic(), s.get(PlatformSettings.RATE), System::currentTimeMillis)
        .withMalformed(s.get(PlatformSettings.MALFORMED), new java.util.Random());
    Thread thread = new Thread(generator, "demo-generator");
    thread.setDaemon(true);
    thread.start();
    stack.add(() -> {
      generator.stop();
      thread.join(10_000);
      publisher.close();
    });
    log.info("demo running: {} sensors at {} events/s into '{}' -> validator -> '{}', views {}", s.get(PlatformSettings.SENSORS),
        s.get(PlatformSettings.RATE), validation.rawTopic(), readings, views.views().stream().map(v -> v.name()).toList());
  }

  /**
   * Graceful stop, bounded, so the whole demo stops within its 30 s: if the running batch does not finish in
   * time its jobs are cancelled, and if Spark still waits, the rest of the platform stops anyway. Nothing is
   * lost: the checkpoint lists the unfinished batches, the next run redoes them, and upserts are idempotent.
   */
  private static void stopWithin(JavaStreamingContext ssc, long millis) throws InterruptedException {
    Thread graceful = new Thread(() -> ssc.stop(true, true), "speed-layer-graceful-stop");
    graceful.setDaemon(true); // never holds the JVM
    graceful.start();
    graceful.join(millis);
    if (graceful.isAlive()) {
      log.warn("graceful stop of the speed layer exceeded {} ms: cancelling the running batch (the checkpoint redoes it)", millis);
      ssc.sparkContext().cancelAllJobs();
      graceful.join(5_000);
      if (graceful.isAlive()) {
        log.warn("the speed layer is still stopping; going on with the rest (its checkpoint is consistent)");
      }
    }
  }

  /** A speed layer that stops on an error is reported loudly and turns /health DOWN (the views go stale). */
  private void watch(JavaStreamingContext ssc) {
    java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
    serving.addHealthCheck("speedLayer", () -> !failed.get());
    Thread watcher = new Thread(() -> {
      try {
        ssc.awaitTermination();
      } catch (Exception e) {
        failed.set(true);
        log.error("speed layer stopped with an error, views are no longer updated (GET /health is DOWN): {}", e.toString());
        System.err.println("error: the speed layer stopped: " + e.getMessage());
      }
    }, "speed-layer-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void createTopics(String bootstrap, ViewCatalog views, String speedViews, ValidatorSettings v)
      throws InterruptedException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<TopicSpec> topics = new ArrayList<>();
      views.sourceTopics().forEach(t -> topics.add(TopicSpec.of(t, 3)));
      for (String t : List.of(v.rawTopic(), v.deadLetterTopic(), v.duplicatesTopic())) {
        topics.add(TopicSpec.of(t, 3));
      }
      topics.add(TopicSpec.compacted(speedViews, 3));
      new TopicProvisioner(admin).ensure(topics, Duration.ofSeconds(60));
    }
  }

  public String url() {
    return serving.url();
  }

  /** Stops everything in reverse order of start; each step is attempted even if an earlier one failed. */
  @Override
  public void close() {
    for (int i = stack.size() - 1; i >= 0; i--) {
      try {
        stack.get(i).close();
      } catch (Exception e) {
        log.warn("while stopping: {}", e.toString());
      }
    }
    stack.clear();
  }
}
