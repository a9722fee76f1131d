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

  /** Rounds beyond the least asked for go on while a round beats the best before it by this much: the JIT is still warming up. */
  static final double RISING = 1.02;
  static final int MAX_ROUNDS = 12;

  /** The best fetch rate (records/s) and how many rounds were read. */
  record Result(double rate, int rounds) {}

  /**
   * The best fetch rate (records/s) over reads of the topic's first {@code records}, each in a new group: at least
   * {@code rounds}, then more while the rate still rises ({@link #goOn}). Why: in every full run up to run 109 each of
   * the three rounds was faster than the one before (run 108: 5,452,606, 6,859,023, 8,375,315 records/s), so the tool
   * was still warming up and the best of three understated Kafka's read rate, the ratio's denominator.
   */
  static Result best(String bootstrap, String topic, long records, int rounds) throws Exception {
    // read_committed, as the speed layer reads (on this non-transactional topic it reads the same records)
    Path config = Files.createTempFile("consumer-perf-", ".properties");
    // fetch.max.wait.ms: once the consumer has read a partition to its end, its next fetch waits up to 500 ms (the
    // default) for data that never comes, and the other partitions' fetches wait with it (one fetch in flight per
    // broker). Keys fill the partitions unevenly, so the smallest ends first: measured on 4,000,000 records, the whole
    // topic read at 519,000-533,000 records/s with the default, 2,978,000-4,287,000 with 10 ms, and its first half at
    // 2,959,000-4,739,000 with the default. Until then the benchmark compared with the slow number.
    Files.writeString(config, "isolation.level=read_committed\nfetch.max.wait.ms=10\n");
    try {
      return best(round -> readOnce(bootstrap, topic, records, round, config), rounds);
    } finally {
      Files.deleteIfExists(config);
    }
  }

  /** Reads one round (numbered from 1): its fetch rate, records/s. */
  @FunctionalInterface
  interface Round {
    double read(int round) throws Exception;
  }

  /** The rounds' best rate: at least {@code rounds} of them, then more while they still rise ({@link #goOn}). */
  static Result best(Round reader, int rounds) throws Exception {
    double best = 0;
    int round = 0;
    boolean rising;
    do {
      round++;
      double rate = reader.read(round);
      rising = rate >= RISING * best;
      best = Math.max(best, rate);
    } while (goOn(round, rounds, rising));
    return new Result(best, round);
  }

  /** Whether to read another round after {@code done}: always up to {@code atLeast}, then while the last one rose, up to {@link #MAX_ROUNDS}. */
  static boolean goOn(int done, int atLeast, boolean lastRose) {
    return done < atLeast || (done < MAX_ROUNDS && lastRose);
  }

  private static double readOnce(String bootstrap, String topic, long records, int round, Path config) throws Exception {
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
    return fetchRate;
  }
}
