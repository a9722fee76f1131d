package io.lambdastack.speed.job;

import io.lambdastack.view.definition.ViewCatalog;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the speed-layer job needs, passed in (no global config), so tests and launchers drive it.
 *
 * @param sparkConf extra Spark settings (e.g. {@code spark.master}, {@code spark.hadoop.dfs.replication})
 */
public record SpeedLayerSettings(ViewCatalog views, String bootstrapServers, String groupId, String outputTopic,
    String checkpointDir, Duration batchInterval, Map<String, String> sparkConf) implements Serializable {

  public SpeedLayerSettings {
    sparkConf = Map.copyOf(sparkConf);
  }
}
