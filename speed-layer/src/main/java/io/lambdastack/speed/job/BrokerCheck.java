package io.lambdastack.speed.job;

import io.lambdastack.view.config.ConfigException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Fails fast, in one line, when the Kafka cluster is not reachable, instead of a job retrying forever. */
public final class BrokerCheck {
  private BrokerCheck() {}

  public static void requireReachable(String bootstrapServers, Duration timeout, String setting) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while checking Kafka at " + bootstrapServers);
    } catch (Exception e) {
      throw new ConfigException("cannot reach Kafka at " + bootstrapServers + " within " + timeout.toSeconds()
          + " s: check " + setting + " and that the broker is running");
    } 
  }
}
