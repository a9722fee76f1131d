package io.lambdastack.infra.bench;

import io.lambdastack.infra.platform.EmbeddedPlatform;
import io.lambdastack.speed.job.SpeedLayerJob;
import io.lambdastack.speed.job.SpeedLayerSettings;
import io.lambdastack.view.definition.ViewCatalog;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The speed-layer job as the platform runs it ({@link SpeedLayerJob}, its own Spark defaults), on local[2]
 * against the embedded platform. Every run gets its own consumer group and checkpoint, so it starts fresh
 * (group offsets: earliest unless set) and one run's state never leaks into the next.
 */
record BenchJob(EmbeddedPlatform platform, ViewCatalog views, Duration interval) {
  SpeedLayerSettings settings(String run, String outputTopic, Map<String, String> extraConf) {
    Map<String, String> spark = new LinkedHashMap<>(platform.sparkConf());
    spark.put("spark.master", "local[2]");
    spark.putAll(extraConf);
    return new SpeedLayerSettings(views, platform.bootstrapServers(), "bench-speed-" + run, outputTopic,
        platform.hdfsUri() + "/bench/checkpoints/" + run, interval, spark);
  }

  /** Starts the job with Spark's per-batch numbers going to {@code times}. */
  JavaStreamingContext start(SpeedLayerSettings settings, BatchTimes times) {
    JavaStreamingContext ssc = SpeedLayerJob.getOrCreate(settings).context();
    ssc.addStreamingListener(times);
    ssc.start();
    return ssc;
  }

  long intervalMs() {
    return interval.toMillis();
  }

  /** Runs for {@link SustainableRate}, publishing to {@code outputTopic}. */
  StepJob steps(String outputTopic) {
    return new StepJob() {
      @Override
      public JavaStreamingContext start(String run, Map<String, String> conf, BatchTimes times) {
        return BenchJob.this.start(settings(run, outputTopic, conf), times);
      }

      @Override
      public long intervalMs() {
        return BenchJob.this.intervalMs();
      }
    };
  }
}
