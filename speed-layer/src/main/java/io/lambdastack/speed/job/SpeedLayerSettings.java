package io.lambdastack.speed.job;

import io.lambdastack.speed.input.SpeedInput;
import io.lambdastack.speed.output.Sink;
import io.lambdastack.view.definition.ViewCatalog;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the speed-layer job needs, passed in (no global config), so tests and launchers drive it.
 *
 * @param sparkConf extra Spark settings (e.g. {@code spark.master}, {@code spark.hadoop.dfs.replication})
 * @param input     where events come from (Kafka by default)
 * @param sinks     where view updates go (the compacted topic by default)
 */
public record SpeedLayerSettings(ViewCatalog views, String bootstrapServers, String groupId, String outputTopic,
    String checkpointDir, Duration batchInterval, Map<String, String> sparkConf, SpeedInput input, List<Sink> sinks)
    implements Serializable {

  public SpeedLayerSettings {
    sparkConf = Map.copyOf(sparkConf);
    sinks = List.copyOf(sinks);
  }

  /** Kafka in, the compacted speed-view topic out. */
  public SpeedLayerSettings(ViewCatalog views, String bootstrapServers, String groupId, String outputTopic,
      String checkpointDir, Duration batchInterval, Map<String, String> sparkConf) {
    this(views, bootstrapServers, groupId, outputTopic, checkpointDir, batchInterval, sparkConf, SpeedInput.kafka(),
        List.of(new Sink(Sink.Kind.KAFKA, null)));
  }

  public boolean readsKafka() {
    return input.kind() == SpeedInput.Kind.KAFKA;
  }
}
