package io.lambdastack.infra.platform;

import io.lambdastack.view.config.ConfigField;
import java.time.Duration;
import java.util.List;

/** The settings of an embedded run, with their defaults (file {@code config/lambda.properties}, env {@code LAMBDA_*}). */
public final class PlatformSettings {
  public static final ConfigField<String> STATE_DIR = ConfigField.string("state.dir", ".lambda",
      "directory holding Kafka logs, HDFS data and checkpoints; a second run resumes from it");
  public static final ConfigField<String> VIEWS = ConfigField.string("views", "config/views.yaml", "the view file");
  public static final ConfigField<Integer> KAFKA_PORT = ConfigField.port("kafka.port", 19092, "embedded Kafka broker port");
  public static final ConfigField<Integer> KAFKA_CONTROLLER_PORT = ConfigField.port("kafka.controller.port", 19093,
      "embedded KRaft controller port");
  public static final ConfigField<Integer> HDFS_PORT = ConfigField.port("hdfs.port", 19820, "embedded HDFS NameNode port");
  public static final ConfigField<Integer> SERVING_PORT = ConfigField.port("serving.port", 18080, "HTTP port of the serving layer");
  public static final ConfigField<Integer> SENSORS = ConfigField.positiveInt("generator.sensors", 20, "number of simulated sensors");
  public static final ConfigField<Integer> RATE = ConfigField.positiveInt("generator.rate", 200, "generated events per second");
  public static final ConfigField<Duration> BATCH_INTERVAL = ConfigField.duration("speed.batch.interval", "1s",
      "micro-batch interval of the speed layer");
  public static final ConfigField<String> RAW_TOPIC = ConfigField.string("topics.raw", "raw-readings",
      "topic the generator writes; the validator reads it");
  public static final ConfigField<String> SOURCE_TOPIC = ConfigField.string("topics.readings", "sensor-readings",
      "clean topic the validator writes (views read it)");
  public static final ConfigField<String> DEAD_LETTER_TOPIC = ConfigField.string("topics.dead-letter", "dead-letter",
      "rejected records with their reason");
  public static final ConfigField<String> DUPLICATES_TOPIC = ConfigField.string("topics.duplicates", "duplicates",
      "dropped duplicate events");
  public static final ConfigField<Double> MALFORMED = new ConfigField<>("generator.malformed", "0.01",
      "fraction of generated records deliberately malformed (to show the dead-letter path), 0..1", v -> {
        double f;
        try {
          f = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("is not a number");
        }
        if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("must lie in 0..1");
        return f;
      });
  public static final ConfigField<Duration> BATCH_EVERY = new ConfigField<>("batch.every", "60s",
      "how often the demo archives the clean topic and recomputes the batch views (off = never)", v -> {
        if (v.trim().equals("off")) {
          return Duration.ZERO;
        }
        Duration d = io.lambdastack.view.definition.Durations.parse(v);
        if (d.toSeconds() < 5) throw new IllegalArgumentException("must be at least 5s, or off");
        return d;
      });
  public static final ConfigField<String> SPEED_VIEW_TOPIC = ConfigField.string("topics.speed-views", "speed-views",
      "compacted topic of speed-view upserts");

  public static final List<ConfigField<?>> ALL = List.of(STATE_DIR, VIEWS, KAFKA_PORT, KAFKA_CONTROLLER_PORT, HDFS_PORT,
      SERVING_PORT, SENSORS, RATE, MALFORMED, BATCH_INTERVAL, RAW_TOPIC, SOURCE_TOPIC, DEAD_LETTER_TOPIC, DUPLICATES_TOPIC,
      SPEED_VIEW_TOPIC, BATCH_EVERY);

  private PlatformSettings() {}
}
