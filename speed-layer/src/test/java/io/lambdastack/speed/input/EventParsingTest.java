package io.lambdastack.speed.input;

import static io.lambdastack.speed.testing.FetchedRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Kafka records parsed as the speed layer's tasks parse them: each event with its record's topic, in order; records that
 * are no event (bad JSON, a tombstone's null value, a value of the wrong shape) counted and skipped, so that records in =
 * events + unparseable. Records read again parse the same.
 */
class EventParsingTest {
  static final Event A = new Event("a", 1_000, Map.of("sensorId", "s1"), Map.of("temperature", 20.5));
  static final Event B = new Event("b", 2_000, Map.of("sensorId", "s2"), Map.of("temperature", -3.0));

  static List<ConsumerRecord<ByteBuffer, ByteBuffer>> records() {
    return List.of(
        record("readings", json(A)),
        record("readings", ByteBuffer.wrap("{\"id\":".getBytes(StandardCharsets.UTF_8))),
        record("readings", null), // a tombstone
        record("other", json(B)),
        record("other", ByteBuffer.wrap("[1,2]".getBytes(StandardCharsets.UTF_8))));
  }

  static ByteBuffer json(Event e) {
    byte[] bytes = EventJson.toBytes(e);
    // The event's bytes as a slice of a larger buffer, as the consumer hands a fetched record's value.
    ByteBuffer fetched = ByteBuffer.allocate(bytes.length + 20);
    fetched.position(10);
    fetched.put(bytes);
    fetched.position(10).limit(10 + bytes.length);
    return fetched.slice();
  }

  @Test
  void eachEventKeepsItsRecordsTopicAndTheRestIsCountedAsUnparseable() {
    LongAccumulator events = new LongAccumulator();
    LongAccumulator unparseable = new LongAccumulator();

    List<Tuple2<String, Event>> parsed = new ArrayList<>();
    EventParsing.parseRecords(records().iterator(), events, unparseable).forEachRemaining(parsed::add);

    assertThat(parsed).extracting(Tuple2::_1).containsExactly("readings", "other");
    assertThat(parsed).extracting(t -> t._2().eventTime()).containsExactly(1_000L, 2_000L);
    assertThat(parsed.get(0)._2().number("temperature")).isEqualTo(20.5);
    assertThat(parsed.get(1)._2().text("sensorId")).isEqualTo("s2");
    assertThat(events.value()).isEqualTo(2);
    assertThat(unparseable.value()).as("records in (5) less events").isEqualTo(3);
  }

  /** Records read again (counted when first read) parse to the same events through the path without counters. */
  @Test
  void recordsReadAgainParseTheSame() {
    List<Tuple2<String, Event>> again = new ArrayList<>();
    EventParsing.parseAgain(records().iterator()).forEachRemaining(again::add);

    List<Tuple2<String, Event>> first = new ArrayList<>();
    EventParsing.parseRecords(records().iterator(), new LongAccumulator(), new LongAccumulator()).forEachRemaining(first::add);
    assertThat(again).hasSize(2).isEqualTo(first); // (topic, event) pairs equal field by field
    assertThat(again).extracting(t -> t._2().eventTime()).containsExactly(1_000L, 2_000L);
  }
}
