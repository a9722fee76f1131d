package io.lambdastack.infra.it;

import io.lambdastack.infra.platform.EmbeddedPlatform;
import io.lambdastack.infra.platform.StartupChecks;
import io.lambdastack.ingestion.kafka.TopicProvisioner;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker (KRaft) and one real HDFS for the whole IT JVM, started on first use on free ports
 * and stopped when the JVM's tests are done. ITs isolate themselves by topic names and HDFS paths.
 */
public final class SharedPlatform implements BeforeAllCallback {
  private static EmbeddedPlatform platform;

  public static synchronized EmbeddedPlatform get() {
    if (platform == null) {
      try {
        Path dir = Files.createTempDirectory(Path.of("target"), "it-platform-").toAbsolutePath();
        int[] ports = StartupChecks.freePorts(3);
        platform = EmbeddedPlatform.start(dir, ports[0], ports[1], ports[2]);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the embedded platform", e);
      }
    }
    return platform;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    get();
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent("embedded-platform", k -> (ExtensionContext.Store.CloseableResource) SharedPlatform::stop);
  }

  private static synchronized void stop() {
    if (platform != null) {
      platform.close();
      platform = null;
    }
  }

  public static void createTopics(List<TopicSpec> topics) throws InterruptedException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, get().bootstrapServers()))) {
      new TopicProvisioner(admin).ensure(topics, Duration.ofSeconds(60));
    }
  }
}
