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

  /** The best fetch rate (records/s) over {@code rounds} reads of the topic's first {@code records}, each in a new group. */
  static double best(String bootstrap, String topic, long records, int rounds) throws Exception {
    // read_committed, as the speed layer reads (on this non-transactional topic it reads the same records)
    Path config = Files.createTempFile("consumer-perf-", ".properties");
    // fetch.max.wait.ms: once the consumer has read a partition to its end, its next fetch waits up to 500 ms (the
    // default) for data that never comes, and the other partitions' fetches wait with it (one fetch in flight per
    // broker). Keys fill the partitions unevenly, so the smallest ends first: measured on 4,000,000 records, the whole
    // topic read at 519,000-533,000 records/s with the default, 2,978,000-4,287,000 with 10 ms, and its first half at
    // 2,959,000-4,739,000 with the default. Until then the benchmark compared with the slow number.
    Files.writeString(config, "isolation.level=read_committed\nfetch.max.wait.ms=10\n");
    double best = 0;
    try {
      for (int round = 1; round <= rounds; round++) {
        String out = KafkaPerfTool.run("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic", topic,
            "--messages", Long.toString(records), "--group", "bench-consumer-perf-" + round, "--timeout", "30000", "--hide-header",
            "--consumer.config", config.toString());
        String[] f = out.strip().lines().reduce((a, b) -> b).orElse("").split(",\\s*");
        if (f.length < 10 || Long.parseLong(f[4]) < records) { // it reads whole fetches: a few more than asked when the topic holds more
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
