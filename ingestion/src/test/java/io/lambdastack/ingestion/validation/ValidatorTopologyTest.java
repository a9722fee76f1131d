package io.lambdastack.ingestion.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorTopologyTest {
  @TempDir
  java.nio.file.Path stateDir;
  TopologyTestDriver driver;
  TestInputTopic<byte[], byte[]> raw;
  TestOutputTopic<byte[], byte[]> clean;
  TestOutputTopic<byte[], byte[]> deadLetter;
  TestOutputTopic<byte[], byte[]> duplicates;
  final Instant t0 = Instant.parse("2024-01-01T00:00:00Z");

  @BeforeEach
  void start() {
    ValidatorSettings s = new ValidatorSettings("test-validator", "unused:9092", "raw", "clean", "dlq", "dups",
        BadInputCorpus.MAX_PAYLOAD_BYTES, Duration.ofMinutes(10), stateDir.toString());
    driver = new TopologyTestDriver(ValidatorTopology.build(s), ValidatorTopology.config(s));
    raw = driver.createInputTopic("raw", new ByteArraySerializer(), new ByteArraySerializer(), t0, Duration.ofSeconds(1));
    clean = driver.createOutputTopic("clean", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    deadLetter = driver.createOutputTopic("dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    duplicates = driver.createOutputTopic("dups", new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void validEventsAreNormalizedToUtcMillisAndKeepTheirKey() throws Exception {
    raw.pipeInput(b("s1"), b("{\"id\":\"e1\",\"ts\":\"2024-01-01T01:00:00+01:00\",\"sensorId\":\"s1\",\"temperature\":20.5}"));
    TestRecord<byte[], byte[]> out = clean.readRecord();
    assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("s1");
    assertThat(EventJson.parse(out.value()).eventTime()).isEqualTo(t0.toEpochMilli());
    assertThat(new String(out.value(), StandardCharsets.UTF_8)).contains("\"ts\":1704067200000");
    assertThat(deadLetter.isEmpty()).isTrue();
  }

  @Test
  void everyKindOfBadInputReachesTheDeadLetterTopicWithItsReasonAndOriginalBytes() {
    List<BadInputCorpus.Case> cases = BadInputCorpus.cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    for (BadInputCorpus.Case c : cases) {
      raw.pipeInput(b("k"), c.value());
      raw.pipeInput(b("k"), b("{\"id\":\"good-after-" + c.name() + "\",\"ts\":1}")); // the validator goes on
      TestRecord<byte[], byte[]> dead = deadLetter.readRecord();
      String reason = DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.REASON);
      assertThat(BadInputCorpus.matches(c, reason)).as(c.name() + ": got reason " + reason).isTrue();
      assertThat(dead.value()).as(c.name()).isEqualTo(c.value());
      assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("raw");
      assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isNotNull();
      assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.REJECTED_AT)).isNotNull();
      assertThat(clean.readRecord().value()).asString(StandardCharsets.UTF_8).contains("good-after-" + c.name());
    }
    assertThat(deadLetter.isEmpty()).isTrue();
  }

  @Test
  void duplicatesWithinTheHorizonAreDroppedAndRecorded() {
    String e = "{\"id\":\"dup-1\",\"ts\":1}";
    raw.pipeInput(b("k"), b(e), t0);
    raw.pipeInput(b("k"), b(e), t0.plusSeconds(60)); // within 10 minutes: a duplicate
    raw.pipeInput(b("k"), b(e), t0.plusSeconds(3600)); // beyond the horizon: accepted again
    assertThat(clean.readRecordsToList()).hasSize(2);
    List<TestRecord<byte[], byte[]>> dups = duplicates.readRecordsToList();
    assertThat(dups).hasSize(1);
    assertThat(new String(dups.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("dup-1");
  }

  @Test
  void countsReconcile() {
    int n = 0;
    for (BadInputCorpus.Case c : BadInputCorpus.cases()) {
      raw.pipeInput(b("k"), c.value());
      n++;
    }
    for (int i = 0; i < 50; i++) {
      raw.pipeInput(b("k"), b("{\"id\":\"e" + (i % 40) + "\",\"ts\":" + i + "}"));
      n++;
    }
    long cleanCount = clean.getQueueSize();
    long deadCount = deadLetter.getQueueSize();
    long dupCount = duplicates.getQueueSize();
    assertThat(cleanCount).isEqualTo(40);
    assertThat(dupCount).isEqualTo(10);
    assertThat(cleanCount + deadCount + dupCount).isEqualTo(n);
  }
}
