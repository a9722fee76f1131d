package io.lambdastack.infra.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kafka's ConsumerPerformance on a topic, in this JVM. Its result line is
 * {@code start, end, MB, MB/s, records, records/s, rebalance ms, fetch ms, fetch MB/s, fetch records/s}; the
 * fetch rate leaves out the group join, so it is the tool's pure read rate (the stricter comparison).
 */
final class ConsumerPerf {
  private ConsumerPerf() {}

  /** The best fetch rate (records/s) over {@code rounds} full reads of the topic, each in a new group. */
  static double best(String bootstrap, String topic, long records, int rounds) throws Exception {
    // read_committed, as the speed layer reads (on this non-transactional topic it reads the same records)
    Path config = Files.createTempFile("consumer-perf-", ".properties");
    Files.writeString(config, "isolation.level=read_committed\n");
    double best = 0;
    try {
      for (int round = 1; round <= rounds; round++) {
        String out = KafkaPerfTool.run("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic", topic,
            "--messages", Long.toString(records), "--group", "bench-consumer-perf-" + round, "--timeout", "30000", "--hide-header",
            "--consumer.config", config.toString());
        String[] f = out.strip().lines().reduce((a, b) -> b).orElse("").split(",\\s*");
        if (f.length < 10 || Long.parseLong(f[4]) != records) {
          throw new IllegalStateException("unexpected ConsumerPerformance output: " + out);
        }
        double fetchRate = Double.parseDouble(f[9]);
        System.out.printf("ConsumerPerformance round %d: %s records in %s ms fetching (+ %s ms group join): %,.0f records/s "
            + "(%,.0f with the join)%n", round, f[4], f[7], f[6], fetchRate, Double.parseDouble(f[5]));
        best = Math.max(best, fetchRate);
      }
    } finally {
      Files.deleteIfExists(config);
    }
    return best;
  }
}
