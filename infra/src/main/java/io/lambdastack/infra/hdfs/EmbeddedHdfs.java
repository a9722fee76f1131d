package io.lambdastack.infra.hdfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS (NameNode + one DataNode, Hadoop's MiniDFSCluster) in this JVM, bound to 127.0.0.1. Its
 * directories survive restarts: a second start keeps the files (checkpoints, master dataset).
 */
public final class EmbeddedHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private EmbeddedHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  public static EmbeddedHdfs start(Path baseDir, int nameNodePort) throws IOException {
    Path nameDir = baseDir.resolve("name");
    Path dataDir = baseDir.resolve("data");
    boolean fresh = !Files.exists(nameDir.resolve("current").resolve("VERSION"));
    Files.createDirectories(nameDir);
    Files.createDirectories(dataDir);
    Configuration conf = new Configuration();
    conf.set("hadoop.tmp.dir", baseDir.resolve("tmp").toString());
    conf.set("dfs.replication", "1");
    // Our own directories (not MiniDFSCluster's managed ones), so a second start finds the namespace and blocks.
    conf.set("dfs.namenode.name.dir", nameDir.toUri().toString());
    conf.set("dfs.datanode.data.dir", dataDir.toUri().toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.metrics.logger.period.seconds", "0"); // commons-logging is excluded (STACK.md)
    conf.set("dfs.datanode.metrics.logger.period.seconds", "0");
    conf.set("dfs.namenode.safemode.extension", "0");
    // MiniDFSCluster deletes its base directory when the JVM exits, whatever shutdown() is told: give it a
    // scratch directory and keep the namespace and the blocks (name/, data/) outside it.
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, baseDir.resolve("scratch").toFile())
        .nameNodePort(nameNodePort)
        .nameNodeHttpPort(0)
        .numDataNodes(1)
        .format(fresh)
        .manageNameDfsDirs(false)
        .manageDataDfsDirs(false)
        .waitSafeMode(true)
        .build();
    cluster.waitActive();
    return new EmbeddedHdfs(cluster);
  }

  /** e.g. {@code hdfs://127.0.0.1:19820} */
  public String uri() {
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  public FileSystem fileSystem() throws IOException {
    return cluster.getFileSystem();
  }

  @Override
  public void close() {
    cluster.shutdown();
  }
}
