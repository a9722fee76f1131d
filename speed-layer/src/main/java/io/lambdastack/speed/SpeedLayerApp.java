package io.lambdastack.speed;

import io.lambdastack.speed.job.BrokerCheck;
import io.lambdastack.speed.metrics.MetricsEndpoint;
import io.lambdastack.speed.job.SpeedLayerJob;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.view.config.OneLineErrors;
import io.lambdastack.view.config.StopSignal;
import io.lambdastack.view.definition.Durations;
import io.lambdastack.view.definition.ViewCatalog;
import java.time.Duration;
import io.lambdastack.speed.input.SpeedInput;
import io.lambdastack.speed.output.Sink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The speed layer as a standalone job: {@code spark-submit --class io.lambdastack.speed.SpeedLayerApp
 * speed-layer.jar --bootstrap-servers ... --checkpoint hdfs://.../speed}. Recovers from the checkpoint when
 * one exists; SIGTERM stops it gracefully (the running batch completes).
 */
@Command(name = "speed-layer", mixinStandardHelpOptions = true,
    description = "Runs the speed layer: Kafka -> Spark Streaming (DStream) views -> compacted speed-view topic.")
public final class SpeedLayerApp implements Callable<Integer> {
  static final long STOP_DEADLINE_MS = 30_000;

  @picocli.CommandLine.Mixin
  io.lambdastack.view.config.ViewFileOption views;

  @picocli.CommandLine.Mixin
  io.lambdastack.view.config.KafkaBootstrap kafka;

  @Option(names = "--checkpoint", required = true, description = "checkpoint directory, e.g. hdfs://namenode:8020/lambda/checkpoints/speed")
  String checkpoint;

  @Option(names = "--output-topic", defaultValue = "speed-views", description = "compacted topic of speed views")
  String outputTopic;

  @Option(names = "--group-id", defaultValue = "lambda-speed-layer", description = "consumer group whose offsets trail the outputs")
  String groupId;

  @Option(names = "--batch-interval", defaultValue = "1s", description = "micro-batch interval")
  String batchInterval;

  @Option(names = "--metrics-port", defaultValue = "0",
      description = "serve Prometheus metrics at http://127.0.0.1:PORT/metrics (0 = off; -1 = any free port)")
  int metricsPort;

  @Option(names = "--input", defaultValue = "${env:LAMBDA_SPEED_INPUT:-kafka}",
      description = "kafka (default), socket:HOST:PORT (socketTextStream) or dir:PATH (textFileStream on a landing directory, e.g. hdfs://...); env LAMBDA_SPEED_INPUT")
  String input;

  @Option(names = "--input-topic", description = "for socket and dir inputs: the source topic the lines stand for (default: the views' first source)")
  String inputTopic;

  @Option(names = "--sink", split = ",", defaultValue = "${env:LAMBDA_SPEED_SINKS:-kafka}",
      description = "kafka (upserts to --output-topic), print, text:PREFIX (saveAsTextFiles); repeatable or comma-separated; env LAMBDA_SPEED_SINKS")
  List<String> sinks;

  @Option(names = "--upgrade", description = "after a code or view change: set the old checkpoint aside, rebuild the state "
      + "from the speed-view topic and resume from the group's committed offsets (stop the old job with SIGTERM first)")
  boolean upgrade;

  @Option(names = "--conf", description = "extra Spark setting key=value (repeatable), e.g. spark.streaming.kafka.maxRatePerPartition=1000")
  Map<String, String> sparkConf = new LinkedHashMap<>();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return OneLineErrors.execute(new SpeedLayerApp(), args);
  }

  @Override
  public Integer call() {
    ViewCatalog catalog = views.load();
    Duration interval = Durations.option("--batch-interval", batchInterval);
    BrokerCheck.requireReachable(kafka.servers(), Duration.ofSeconds(10), "--bootstrap-servers (or LAMBDA_KAFKA_BOOTSTRAP)");
    SpeedInput in = SpeedInput.parse(input, inputTopic != null ? inputTopic : catalog.sourceTopics().get(0));
    List<Sink> out = sinks.stream().map(Sink::parse).distinct().toList();
    SpeedLayerSettings settings = new SpeedLayerSettings(catalog, kafka.servers(), groupId, outputTopic, checkpoint, interval,
        sparkConf, in, out);
    MetricsEndpoint metrics = metricsPort == 0 ? null : MetricsEndpoint.start(metricsPort == -1 ? 0 : metricsPort);
    SpeedLayerJob.Started started = upgrade ? SpeedLayerJob.upgrade(settings) : SpeedLayerJob.getOrCreate(settings);
    JavaStreamingContext ssc = started.context();
    StopSignal stop = StopSignal.install();
    ssc.start();
    System.out.println("speed layer running: views " + catalog.views().stream().map(v -> v.name()).toList()
        + " from " + (settings.readsKafka() ? catalog.sourceTopics() : in) + " -> " + out
        + (out.stream().anyMatch(o -> o.kind() == Sink.Kind.KAFKA) ? " " + outputTopic : "") + ", checkpoint " + checkpoint
        + (started.recovered() ? " (recovered from checkpoint)" : upgrade ? " (upgraded)" : " (fresh start)")
        + (metrics == null ? "" : ", metrics at " + metrics.url()));
    Thread waiter = new Thread(() -> {
      try {
        System.out.println("stopping on " + stop.await() + ": finishing the running batch...");
        StopSignal.stopWithin(STOP_DEADLINE_MS, () -> {
          ssc.stop(true, true);
          System.out.println("committed offsets of the last batches: " + SpeedLayerJob.commitCompleted(settings));
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "speed-layer-stop");
    waiter.setDaemon(true);
    waiter.start();
    try {
      ssc.awaitTermination(); // returns after a stop, throws if a batch failed
      waiter.join(STOP_DEADLINE_MS); // let a graceful stop finish its offset commit before the JVM exits
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (metrics != null) {
      metrics.close();
    }
    System.out.println("speed layer stopped");
    return 0;
  }
}
