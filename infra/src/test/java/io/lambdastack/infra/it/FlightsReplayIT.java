package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.infra.cli.LambdaCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real dataset end to end: {@code lambda produce replay} of flights-3m delivers every one of its
 * 3,000,000 rows, in event-time order, and the topic holds exactly that many records (counted by reading).
 * The dataset is fetched by scripts/fetch-flights.sh (npm pack), as a user would.
 */
@ExtendWith(SharedPlatform.class)
class FlightsReplayIT {
  @Test
  void replayDeliversEveryRowOfTheFileInEventTimeOrder() throws Exception {
    Process fetch = new ProcessBuilder("bash", "../scripts/fetch-flights.sh").redirectErrorStream(true).start();
    String fetched = new String(fetch.getInputStream().readAllBytes()).trim();
    assertThat(fetch.waitFor()).as("scripts/fetch-flights.sh: " + fetched).isEqualTo(0);
    Path file = Path.of("..").resolve(fetched.lines().reduce((a, b) -> b).orElseThrow()).toAbsolutePath().normalize();
    assertThat(Files.size(file)).isGreaterThan(10_000_000);

    String bootstrap = SharedPlatform.get().bootstrapServers();
    Path log = Files.createTempDirectory(Path.of("target"), "flights-it-").resolve("replay.log");
    try (ChildJvm replay = ChildJvm.start(log, LambdaCli.class.getName(), List.of("produce", "replay", file.toString(),
        "--topic", "flights-3m", "--rate", "0", "--key-field", "origin", "--bootstrap-servers", bootstrap), Map.of())) {
      assertThat(replay.waitFor(Duration.ofMinutes(10))).as(replay.output()).isEqualTo(0);
      assertThat(replay.output()).contains("done: sent 3,000,000  acknowledged 3,000,000  failed 0")
          .contains("replayed 3,000,000 of 3,000,000 events");
    }

    // Count by reading, and check event-time order within every partition (keys are airports).
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = c.partitionsFor("flights-3m").stream()
          .map(i -> new TopicPartition("flights-3m", i.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      Map<TopicPartition, Long> lastTime = new java.util.HashMap<>();
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (var r : c.poll(Duration.ofMillis(500))) {
          records++;
          long ts = timestamp(r.value());
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          assertThat(ts).as("event-time order in " + tp).isGreaterThanOrEqualTo(lastTime.getOrDefault(tp, Long.MIN_VALUE));
          lastTime.put(tp, ts);
        }
      }
    }
    assertThat(records).isEqualTo(3_000_000);
  }

  /** The "ts" of an event's JSON without a full parse (3 million of them). */
  static long timestamp(byte[] json) {
    String s = new String(json, java.nio.charset.StandardCharsets.UTF_8);
    int i = s.indexOf("\"ts\":") + 5;
    int j = i;
    while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '-')) j++;
    return Long.parseLong(s.substring(i, j));
  }
}
