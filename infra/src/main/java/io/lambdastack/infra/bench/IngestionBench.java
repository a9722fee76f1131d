package io.lambdastack.infra.bench;

import io.lambdastack.infra.kafka.EmbeddedKafka;
import io.lambdastack.infra.platform.StartupChecks;
import io.lambdastack.ingestion.generator.MalformedRecords;
import io.lambdastack.ingestion.generator.SensorTemperatureGenerator;
import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner;
import io.lambdastack.ingestion.validation.IngestReport;
import io.lambdastack.ingestion.validation.Validator;
import io.lambdastack.ingestion.validation.ValidatorSettings;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ingestion benchmark, one run on one fresh embedded broker: the platform's producer (EventPublisher sending
 * generated sensor events, JSON encoding included) against Kafka's own ProducerPerformance at the same record
 * size and producer settings, alternated, and the validator's throughput (exactly_once_v2) on a raw topic.
 */
@Command(name = "bench-ingestion", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmark: platform producer / Kafka ProducerPerformance, and validator records/s.")
public final class IngestionBench implements Callable<Integer> {
  @Option(names = "--records", defaultValue = "1000000", description = "records per producer round (default ${DEFAULT-VALUE})")
  int records;

  @Option(names = "--rounds", defaultValue = "2", description = "alternated rounds of each producer (default ${DEFAULT-VALUE})")
  int rounds;

  @Override
  public Integer call() throws Exception {
    int[] ports = StartupChecks.freePorts(2);
    try (BenchDir scratch = BenchDir.create("lambda-bench-");
        EmbeddedKafka kafka = EmbeddedKafka.start(scratch.path().resolve("kafka"), ports[0], ports[1]);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      String b = kafka.bootstrapServers();
      SensorTemperatureGenerator sizing = new SensorTemperatureGenerator(20, 1);
      long bytes = 0;
      for (int i = 0; i < 10_000; i++) bytes += EventJson.toBytes(sizing.next(1_700_000_000_000L + i)).length;
      int recordSize = (int) (bytes / 10_000);
      System.out.printf("broker %s, %,d records per round, mean record %d bytes; producer settings: %s%n", b, records, recordSize,
          "acks=all enable.idempotence=true compression.type=lz4 linger.ms=10 batch.size=131072");
      List<Double> kafkaRates = new ArrayList<>();
      List<Double> platformRates = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        ensure(admin, "bench-kafka-" + round, "bench-platform-" + round);
        kafkaRates.add(producerPerformance(b, "bench-kafka-" + round, recordSize));
        platformRates.add(platformProducer(b, "bench-platform-" + round));
        System.out.printf("round %d: ProducerPerformance %,.0f rec/s, platform producer %,.0f rec/s%n", round + 1,
            kafkaRates.get(round), platformRates.get(round));
      }
      double kafkaBest = kafkaRates.stream().mapToDouble(d -> d).max().orElseThrow();
      double platformBest = platformRates.stream().mapToDouble(d -> d).max().orElseThrow();
      System.out.printf("PRODUCER: platform %,.0f rec/s / ProducerPerformance %,.0f rec/s = ratio %.2f (goal >= 0.9; best of %d rounds each)%n",
          platformBest, kafkaBest, platformBest / kafkaBest, rounds);
      validatorBench(admin, b, scratch.path());
    }
    return 0;
  }

  private double producerPerformance(String bootstrap, String topic, int recordSize) throws Exception {
    String output = KafkaPerfTool.run("org.apache.kafka.tools.ProducerPerformance",
        "--topic", topic, "--num-records", Integer.toString(records), "--record-size", Integer.toString(recordSize),
        "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true",
        "compression.type=lz4", "linger.ms=10", "batch.size=131072");
    Matcher m = Pattern.compile(records + " records sent, ([0-9.]+) records/sec").matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("unexpected ProducerPerformance output: " + output);
    }
    return Double.parseDouble(m.group(1));
  }

  private double platformProducer(String bootstrap, String topic) {
    SensorTemperatureGenerator g = new SensorTemperatureGenerator(20, 7);
    long start = System.nanoTime();
    try (EventPublisher p = new EventPublisher(bootstrap, "bench-platform")) {
      for (int i = 0; i < records; i++) {
        Event e = g.next(1_700_000_000_000L + i);
        p.send(topic, e.attributes().get("sensorId"), e);
      }
      p.flush();
      if (p.acknowledged() != records) throw new IllegalStateException("acknowledged " + p.acknowledged() + " of " + records);
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private void validatorBench(Admin admin, String bootstrap, Path dir) throws Exception {
    ValidatorSettings s = new ValidatorSettings("bench-validator", bootstrap, "bench-raw", "bench-clean", "bench-dead-letter",
        "bench-duplicates", 65536, Duration.ofHours(1), dir.resolve("validator").toString());
    ensure(admin, s.rawTopic(), s.cleanTopic(), s.deadLetterTopic(), s.duplicatesTopic());
    SensorTemperatureGenerator g = new SensorTemperatureGenerator(20, 11);
    Random random = new Random(3);
    try (EventPublisher p = new EventPublisher(bootstrap, "bench-raw")) {
      Event previous = null;
      for (int i = 0; i < records; i++) {
        Event e = g.next(1_700_000_000_000L + i);
        String key = e.attributes().get("sensorId");
        int dice = random.nextInt(100);
        if (dice < 5) {
          p.sendRaw(s.rawTopic(), key, MalformedRecords.corrupt(e, random)); // 5 % bad
        } else if (dice < 7 && previous != null) {
          p.send(s.rawTopic(), key, previous); // 2 % duplicates
        } else {
          p.send(s.rawTopic(), key, e);
        }
        previous = e;
      }
      p.flush();
    }
    long start = System.nanoTime();
    try (Validator v = Validator.start(s, Duration.ofSeconds(60))) {
      while (lag(admin, s) > 0) {
        Thread.sleep(200);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    IngestReport.Counts c = IngestReport.count(bootstrap, s);
    System.out.printf("VALIDATOR: %,d raw records in %.1f s (start included) = %,.0f records/s, exactly_once_v2; "
        + "clean %,d + dead-letter %,d + duplicates %,d = raw %,d: %s%n", records, seconds, records / seconds, c.clean(),
        c.deadLetter(), c.duplicates(), c.raw(), c.reconciles() ? "reconciles" : "DOES NOT RECONCILE");
  }

  /** Records of the raw topic the validator has not committed yet. */
  private static long lag(Admin admin, ValidatorSettings s) throws Exception {
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(s.applicationId()).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
    for (int p = 0; p < 3; p++) request.put(new TopicPartition(s.rawTopic(), p), OffsetSpec.latest());
    long lag = 0;
    for (var e : admin.listOffsets(request).all().get().entrySet()) {
      var c = committed.get(e.getKey());
      lag += e.getValue().offset() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  private static void ensure(Admin admin, String... topics) throws InterruptedException {
    new TopicProvisioner(admin).ensure(java.util.Arrays.stream(topics).map(t -> TopicProvisioner.TopicSpec.of(t, 3)).toList(),
        Duration.ofSeconds(60));
  }
}
