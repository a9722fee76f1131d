package io.lambdastack.view.spark;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** Hadoop settings from Spark settings: the {@code spark.hadoop.*} entries, as Spark itself derives them. */
public final class SparkHadoopConf {
  private SparkHadoopConf() {}

  /** For HDFS work outside a SparkContext (reading a checkpoint before Spark starts, listing snapshots). */
  public static Configuration of(Map<String, String> sparkConf) {
    Configuration conf = new Configuration();
    sparkConf.forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) {
        conf.set(k.substring("spark.hadoop.".length()), v);
      }
    });
    return conf;
  }
}
