package io.lambdastack.infra.platform;

import io.lambdastack.infra.hdfs.EmbeddedHdfs;
import io.lambdastack.infra.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The infrastructure of an embedded run: a KRaft broker and HDFS on 127.0.0.1, state under one directory. */
public final class EmbeddedPlatform implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPlatform.class);
  private final Path stateDir;
  private final EmbeddedKafka kafka;
  private final EmbeddedHdfs hdfs;

  private EmbeddedPlatform(Path stateDir, EmbeddedKafka kafka, EmbeddedHdfs hdfs) {
    this.stateDir = stateDir;
    this.kafka = kafka;
    this.hdfs = hdfs;
  }

  public static EmbeddedPlatform start(Path stateDir, int kafkaPort, int controllerPort, int hdfsPort) throws Exception {
    long t0 = System.nanoTime();
    EmbeddedKafka kafka = EmbeddedKafka.start(stateDir.resolve("kafka"), kafkaPort, controllerPort);
    log.info("kafka broker up at {} in {} ms", kafka.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    long t1 = System.nanoTime();
    EmbeddedHdfs hdfs;
    try {
      hdfs = EmbeddedHdfs.start(stateDir.resolve("hdfs"), hdfsPort);
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    log.info("hdfs up at {} in {} ms", hdfs.uri(), (System.nanoTime() - t1) / 1_000_000);
    return new EmbeddedPlatform(stateDir, kafka, hdfs);
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String hdfsUri() {
    return hdfs.uri();
  }

  public EmbeddedHdfs hdfs() {
    return hdfs;
  }

  public Path stateDir() {
    return stateDir;
  }

  /** Spark settings for a job running against this platform in local mode. */
  public Map<String, String> sparkConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", "local[*,4]"); // [threads, task attempts]: local mode otherwise never retries a task
    conf.put("spark.driver.host", "127.0.0.1");
    conf.put("spark.driver.bindAddress", "127.0.0.1");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.local.dir", stateDir.resolve("spark-tmp").toString());
    conf.put("spark.hadoop.dfs.replication", "1");
    // An HDFS client closing a file asks the NameNode to complete it; with one in-process DataNode the first
    // ask usually comes before the block report, and the client then sleeps 400 ms before retrying. Measured
    // here: 208 ms per small file with the default, 24 ms with 20 ms. It matters for the archive's many
    // date/hour Parquet files.
    conf.put("spark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "20");
    conf.put("spark.hadoop.fs.defaultFS", hdfs.uri());
    return conf;
  }

  @Override
  public void close() {
    hdfs.close();
    kafka.close();
  }
}
