package io.lambdastack.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lambdastack.ingestion.kafka.EventPublisher;
import io.lambdastack.ingestion.kafka.TopicProvisioner.TopicSpec;
import io.lambdastack.ingestion.validation.BadInputCorpus;
import io.lambdastack.ingestion.validation.DeadLetterHeaders;
import io.lambdastack.ingestion.validation.IngestReport;
import io.lambdastack.ingestion.validation.Validator;
import io.lambdastack.ingestion.validation.ValidatorSettings;
import io.lambdastack.view.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The validator on a real broker, exactly once: every kind of bad input in the corpus, mixed with good
 * records and duplicates, lands in the right topic with the right reason; the validator never stops; and
 * raw = clean + dead-letter + duplicates, exactly.
 */
@ExtendWith(SharedPlatform.class)
class ValidatorIT {
  @Test
  void everyRecordLandsInExactlyOneTopicWithThePreciseReason() throws Exception {
    String bootstrap = SharedPlatform.get().bootstrapServers();
    Path state = Files.createTempDirectory(Path.of("target"), "validator-it-").toAbsolutePath();
    ValidatorSettings s = new ValidatorSettings("validator-it", bootstrap, "v-raw", "v-clean", "v-dead-letter", "v-duplicates",
        BadInputCorpus.MAX_PAYLOAD_BYTES, Duration.ofHours(1), state.toString());
    SharedPlatform.createTopics(List.of(TopicSpec.of(s.rawTopic(), 3), TopicSpec.of(s.cleanTopic(), 3),
        TopicSpec.of(s.deadLetterTopic(), 3), TopicSpec.of(s.duplicatesTopic(), 3)));

    List<BadInputCorpus.Case> corpus = BadInputCorpus.cases();
    Set<String> goodIds = new HashSet<>();
    int raw = 0;
    int duplicates = 0;
    try (Validator validator = Validator.start(s, Duration.ofSeconds(60));
        EventPublisher publisher = new EventPublisher(bootstrap, "validator-it")) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < corpus.size(); i++) {
          publisher.sendRaw(s.rawTopic(), "bad-" + round + "-" + i, corpus.get(i).value());
          String id = "good-" + round + "-" + i;
          publisher.sendRaw(s.rawTopic(), id, ("{\"id\":\"" + id + "\",\"ts\":\"2024-06-01T10:00:00+02:00\",\"sensorId\":\"s"
              + (i % 4) + "\",\"temperature\":" + i + ".5}").getBytes(StandardCharsets.UTF_8));
          goodIds.add(id);
          raw += 2;
          if (i % 5 == 0) { // a producer retry that was not idempotent: the same event again
            publisher.sendRaw(s.rawTopic(), id, ("{\"id\":\"" + id + "\",\"ts\":0}").getBytes(StandardCharsets.UTF_8));
            raw++;
            duplicates++;
          }
        }
      }
      publisher.flush();
      int expectedRaw = raw;
      int expectedDuplicates = duplicates;
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        IngestReport.Counts c = IngestReport.count(bootstrap, s);
        assertThat(c.raw()).isEqualTo(expectedRaw);
        assertThat(c.clean()).isEqualTo(goodIds.size());
        assertThat(c.deadLetter()).isEqualTo(3L * corpus.size());
        assertThat(c.duplicates()).isEqualTo(expectedDuplicates);
        assertThat(c.reconciles()).isTrue();
      });
      assertThat(validator.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    // Every dead letter: original bytes and the precise reason of its corpus case, plus where it came from.
    Map<String, ConsumerRecord<byte[], byte[]>> dead = readAll(bootstrap, s.deadLetterTopic());
    assertThat(dead).hasSize(3 * corpus.size());
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < corpus.size(); i++) {
        BadInputCorpus.Case c = corpus.get(i);
        ConsumerRecord<byte[], byte[]> r = dead.get("bad-" + round + "-" + i);
        assertThat(r).as(c.name()).isNotNull();
        String reason = DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON);
        assertThat(BadInputCorpus.matches(c, reason)).as(c.name() + " -> " + reason).isTrue();
        assertThat(r.value()).as(c.name()).isEqualTo(c.value() == null ? null : c.value());
        assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(s.rawTopic());
        assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_OFFSET)).matches("\\d+");
      }
    }
    // Every good event once in clean, with its time normalized to UTC epoch millis.
    Map<String, ConsumerRecord<byte[], byte[]>> clean = readAll(bootstrap, s.cleanTopic());
    assertThat(clean.keySet()).isEqualTo(goodIds);
    for (ConsumerRecord<byte[], byte[]> r : clean.values()) {
      assertThat(EventJson.parse(r.value()).eventTime()).isEqualTo(1717228800000L);
    }
  }

  /** All committed records of a topic by key (each key once). */
  static Map<String, ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
    IngestReport.forEachCommitted(bootstrap, topic, r -> assertThat(byKey.put(new String(r.key(), StandardCharsets.UTF_8), r))
        .as("key seen twice in " + topic).isNull());
    return byKey;
  }
}
