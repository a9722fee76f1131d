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
  public static final ConfigField<String> SOURCE_TOPIC = ConfigField.string("topics.readings", "sensor-readings",
      "topic the generator writes (views read it)");
  public static final ConfigField<String> SPEED_VIEW_TOPIC = ConfigField.string("topics.speed-views", "speed-views",
      "compacted topic of speed-view upserts");

  public static final List<ConfigField<?>> ALL = List.of(STATE_DIR, VIEWS, KAFKA_PORT, KAFKA_CONTROLLER_PORT, HDFS_PORT,
      SERVING_PORT, SENSORS, RATE, BATCH_INTERVAL, SOURCE_TOPIC, SPEED_VIEW_TOPIC);

  private PlatformSettings() {}
}
