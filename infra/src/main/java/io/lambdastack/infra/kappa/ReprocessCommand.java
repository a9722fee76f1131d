package io.lambdastack.infra.kappa;

import io.lambdastack.view.config.KafkaBootstrap;
import io.lambdastack.view.definition.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./lambda reprocess --view V}: Kappa's recompute, by replaying the log through the speed layer. */
@Command(name = "reprocess", mixinStandardHelpOptions = true,
    description = {"Kappa mode: replay a view's source topic from the earliest offset through the speed layer's code into",
        "a new view version (topic <speed-views>-<view>-v<N>), stop when caught up, and compare it with the",
        "published batch snapshot (Lambda). Run it next to the demo: it uses the demo's Kafka and HDFS."})
public final class ReprocessCommand implements Callable<Integer> {
  @Option(names = "--view", required = true, description = "the view to recompute")
  String view;

  @Mixin io.lambdastack.view.config.ViewFileOption views;

  @Mixin KafkaBootstrap kafka;

  @Option(names = "--speed-view-topic", defaultValue = "speed-views", description = "base name of the output topic (default ${DEFAULT-VALUE})")
  String speedViewTopic;

  @Option(names = "--checkpoint-root", defaultValue = "${env:LAMBDA_CHECKPOINTS:-hdfs://127.0.0.1:19820/lambda/checkpoints}",
      description = "where the reprocessing job checkpoints (default ${DEFAULT-VALUE})")
  String checkpointRoot;

  @Option(names = "--snapshots", defaultValue = "${env:LAMBDA_BATCH_VIEWS:-hdfs://127.0.0.1:19820/lambda/batch-views}",
      description = "batch snapshots to compare with ('none' to skip; default ${DEFAULT-VALUE})")
  String snapshots;

  @Option(names = "--batch-interval", defaultValue = "2s", description = "micro-batch interval (default ${DEFAULT-VALUE})")
  String batchInterval;

  @Option(names = "--max-rate-per-partition", defaultValue = "100000",
      description = "records per second per partition one micro-batch takes: bounds the batches of a long replay (default ${DEFAULT-VALUE})")
  long maxRatePerPartition;

  @Option(names = "--conf", description = "extra Spark setting key=value (repeatable)")
  Map<String, String> sparkConf = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    Duration interval = Durations.option("--batch-interval", batchInterval);
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", "local[*]");
    conf.put("spark.driver.host", "127.0.0.1");
    conf.put("spark.driver.bindAddress", "127.0.0.1");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.streaming.kafka.maxRatePerPartition", Long.toString(maxRatePerPartition));
    conf.putAll(sparkConf);
    new Reprocess(kafka.servers(), views.load(), view, speedViewTopic, checkpointRoot, interval, conf,
        System.out).run("none".equals(snapshots) ? null : snapshots);
    return 0; // a difference from the batch snapshot is information (late events), not a failure
  }
}
