package io.lambdastack.view.config;

import java.util.Properties;

/**
 * The producer settings every writer of the platform uses: idempotent, acks=all, compressed, so a retried
 * send never duplicates or reorders within a partition. (Keys as strings: this module does not depend on
 * kafka-clients.)
 */
public final class SafeProducer {
  private SafeProducer() {}

  public static Properties config(String bootstrapServers, String clientId) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("client.id", clientId);
    p.put("enable.idempotence", "true");
    p.put("acks", "all");
    p.put("compression.type", "lz4");
    p.put("linger.ms", "10");
    p.put("batch.size", "131072"); // bulk replays fill 128 KiB batches; a trickle waits at most 10 ms
    p.put("delivery.timeout.ms", "120000");
    return p;
  }
}
