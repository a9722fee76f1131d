package io.lambdastack.speed.output;

import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.view.update.ViewUpdate;
import io.lambdastack.view.update.ViewUpdateJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.spark.streaming.api.java.JavaDStream;

/** The teaching sinks: DStream {@code print} and {@code saveAsTextFiles}, on the same updates Kafka gets. */
public final class TextSinks {
  private TextSinks() {}

  public static void print(JavaDStream<KeyOutcome> outcomes) {
    updates(outcomes).map(TextSinks::line).print(20);
  }

  public static void saveAsTextFiles(JavaDStream<KeyOutcome> outcomes, String prefix) {
    updates(outcomes).map(u -> new String(ViewUpdateJson.toBytes(u), StandardCharsets.UTF_8)).dstream()
        .saveAsTextFiles(prefix, "json");
  }

  /** The updates, stamped with their batch time as on the topic. */
  static JavaDStream<ViewUpdate> updates(JavaDStream<KeyOutcome> outcomes) {
    return outcomes.transform((rdd, time) -> rdd.flatMap(o -> o.updates().stream()
        .map(u -> ViewUpdatePublisher.stamped(u, time.milliseconds())).iterator()));
  }

  static String line(ViewUpdate u) {
    return u.view() + " " + u.key() + " [" + Instant.ofEpochMilli(u.bucketStart()) + ", " + Instant.ofEpochMilli(u.bucketEnd())
        + ") events=" + u.events() + " " + u.measures();
  }
}
