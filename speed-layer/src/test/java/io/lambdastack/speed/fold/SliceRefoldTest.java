package io.lambdastack.speed.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.speed.landmark.LandmarkEvents;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import io.lambdastack.view.kafka.TopicRange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Reading a slice again, with the slice's records in memory: each landmark key gets the events a task that kept them
 * would have kept (other topics, other views and unparseable records left out as the first read left them out); a
 * slice is read once for all its keys while its batch is processed; a failed read is not held.
 */
class SliceRefoldTest {
  static final ViewFold FOLD = new ViewFold(ViewFile.parse("v", """
      views:
        - {name: by_k, source: t, key: [k], bucket: 10s, measures: [count, sum(x), min(x), max(x)]}
        - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, mean(x), min(x), max(x)]}
      """));
  static final ViewDefinition SEGMENTS = FOLD.catalog().view("segments").orElseThrow();

  static final List<Event> EVENTS = List.of(reading("k1", 100, 1.0), reading("k2", 150, 2.0), reset("k1", 120),
      reading("k1", 130, 3.0), reading("k2", 90, 4.0), reading("k1", 110, 5.0));

  static Event reading(String key, long time, double x) {
    return new Event(key + "@" + time, time, Map.of("k", key), Map.of("x", x));
  }

  static Event reset(String key, long time) {
    return new Event(key + "@" + time + "/reset", time, Map.of("k", key, "type", "reset"), Map.of());
  }

  static KafkaSlice slice(long batch, int partition) {
    return new KafkaSlice(batch, List.of(new TopicRange("t", partition, 0, 9)), "broker:9092");
  }

  /** The slice's records: the events, an event of another topic and a record that is no event. */
  static List<Tuple2<String, ByteBuffer>> records() {
    List<Tuple2<String, ByteBuffer>> out = new ArrayList<>();
    EVENTS.forEach(e -> out.add(new Tuple2<>("t", ByteBuffer.wrap(EventJson.toBytes(e)))));
    out.add(2, new Tuple2<>("other", ByteBuffer.wrap(EventJson.toBytes(reading("k1", 125, 99.0)))));
    out.add(4, new Tuple2<>("t", ByteBuffer.wrap("{not json".getBytes(StandardCharsets.UTF_8))));
    return out;
  }

  /** The events a task keeping them keeps for the key, in the walk's order. */
  static List<LandmarkEvents.Marked> kept(String key) {
    LandmarkEvents.Builder builder = new LandmarkEvents.Builder(SEGMENTS);
    EVENTS.stream().filter(e -> e.attributes().get("k").equals(key)).forEach(builder::add);
    return builder.events().sorted();
  }

  @Test
  void readsASliceOnceForAllItsKeysAndGivesEachTheEventsATaskKeepingThemKeeps() {
    SliceRefold.Reads reads = new SliceRefold.Reads();
    SliceRefold refold = new SliceRefold(FOLD, slice -> records().iterator(), reads);

    LandmarkEvents k1 = refold.events(new ViewKey("segments", "k1"), slice(1_000, 0));
    LandmarkEvents k2 = refold.events(new ViewKey("segments", "k2"), slice(1_000, 0));

    assertThat(k1.sorted()).isEqualTo(kept("k1")).hasSize(4);
    assertThat(k2.sorted()).isEqualTo(kept("k2")).hasSize(2);
    assertThat(k1.unkept()).isEmpty();
    assertThat(refold.events(new ViewKey("segments", "k9"), slice(1_000, 0))).as("no events of the key").isNull();
    assertThat(refold.events(new ViewKey("by_k", "k1"), slice(1_000, 0))).as("not a landmark view").isNull();
    assertThat(reads.reads()).isEqualTo(1);
  }

  @Test
  void holdsTheSlicesOfTheBatchBeingProcessedOnly() {
    SliceRefold.Reads reads = new SliceRefold.Reads();
    SliceRefold refold = new SliceRefold(FOLD, slice -> records().iterator(), reads);
    ViewKey k1 = new ViewKey("segments", "k1");

    refold.events(k1, slice(1_000, 0));
    refold.events(k1, slice(1_000, 1));
    refold.events(k1, slice(1_000, 0));
    assertThat(reads.reads()).as("two slices of one batch").isEqualTo(2);
    refold.events(k1, slice(2_000, 0));
    refold.events(k1, slice(1_000, 1));
    assertThat(reads.reads()).as("the next batch dropped the first one's").isEqualTo(4);
  }

  @Test
  void aFailedReadFailsWithItsSliceAndIsReadAfreshNextTime() {
    SliceRefold.Reads reads = new SliceRefold.Reads();
    AtomicInteger attempts = new AtomicInteger();
    SliceRefold refold = new SliceRefold(FOLD, slice -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("reading t-0 offsets 0..9 did not finish within PT2M (at 4)");
      }
      return records().iterator();
    }, reads);
    ViewKey k1 = new ViewKey("segments", "k1");

    assertThatThrownBy(() -> refold.events(k1, slice(1_000, 0))).isInstanceOf(IllegalStateException.class)
        .hasMessage("reading segments/k1's landmark events again from t-0[0..9) at broker:9092 failed: "
            + "java.lang.IllegalStateException: reading t-0 offsets 0..9 did not finish within PT2M (at 4)");
    assertThat(refold.events(k1, slice(1_000, 0)).sorted()).isEqualTo(kept("k1"));
    assertThat(reads.reads()).isEqualTo(2);
  }
}
