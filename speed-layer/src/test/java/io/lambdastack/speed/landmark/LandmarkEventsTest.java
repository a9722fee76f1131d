package io.lambdastack.speed.landmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compact form of a landmark view's events: what the measures read survives, in segment order. */
class LandmarkEventsTest {
  static final io.lambdastack.view.definition.ViewDefinition VIEW = ViewFile.parse("v", """
      views:
        - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, mean(x), distinct(note)]}
      """).view("segments").orElseThrow();

  @Test
  void keepsTheMeasuredFieldsAndTheResetFlagInSegmentOrderAcrossMergedPartitions() {
    String longNote = "n".repeat(100_000); // beyond what DataOutput.writeUTF can write: a valid event must still pass
    LandmarkEvents.Builder first = new LandmarkEvents.Builder(VIEW);
    first.add(new Event("a", 30, Map.of("k", "s1", "note", longNote, "other", "dropped"), Map.of("x", 1.5, "y", 9.0)));
    first.add(new Event("b", 10, Map.of("k", "s1"), Map.of("x", -2.25)));
    LandmarkEvents.Builder second = new LandmarkEvents.Builder(VIEW);
    second.add(new Event("c", 30, Map.of("k", "s1", "type", "reset"), Map.of()));
    second.add(new Event("d", 20, Map.of("k", "s1", "note", "é ☃"), Map.of()));

    List<LandmarkEvents.Marked> sorted = first.events().merge(second.events()).sorted();

    assertThat(sorted).extracting(m -> m.event().eventTime()).containsExactly(10L, 20L, 30L, 30L);
    assertThat(sorted).extracting(LandmarkEvents.Marked::reset).containsExactly(false, false, true, false); // reset first at 30
    assertThat(sorted.get(0).event().values()).isEqualTo(Map.of("x", -2.25));
    assertThat(sorted.get(1).event().attributes()).isEqualTo(Map.of("note", "é ☃"));
    assertThat(sorted.get(3).event().attributes()).isEqualTo(Map.of("note", longNote)); // unmeasured fields dropped
    assertThat(sorted.get(3).event().values()).isEqualTo(Map.of("x", 1.5));
  }

  /**
   * Across a shuffle (Spark's Java serializer) the decoded events still name their fields by the interned names the
   * views' aggregators look them up with ({@code FieldMap} compares references first).
   */
  @Test
  void eventsDecodedAfterAShuffleNameTheirFieldsByTheInternedNames() {
    LandmarkEvents.Builder builder = new LandmarkEvents.Builder(VIEW);
    builder.add(new Event("a", 10, Map.of("k", "s1", "note", "n1"), Map.of("x", 1.5)));
    LandmarkEvents copy = io.lambdastack.view.spark.SparkCopy.of(builder.events());
    Event decoded = copy.sorted().get(0).event();
    assertThat(decoded.values()).isEqualTo(Map.of("x", 1.5));
    assertThat(decoded.values().keySet().iterator().next()).isSameAs("x".intern());
    assertThat(decoded.attributes().keySet().iterator().next()).isEqualTo("note").isSameAs("note".intern());
  }

  @Test
  void eventsMissingSomeMeasuredFieldsDecodeToExactlyTheFieldsTheyHad() {
    io.lambdastack.view.definition.ViewDefinition view = ViewFile.parse("v", """
        views:
          - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, mean(x), max(y), distinct(note)]}
        """).view("segments").orElseThrow();
    List<Event> events = List.of(
        new Event("a", 1, Map.of("k", "s1"), Map.of("x", 1.0, "y", 2.0)),
        new Event("b", 2, Map.of("k", "s1"), Map.of("y", 5.0)), // numbers out of step with the view's fields
        new Event("c", 3, Map.of("k", "s1", "note", "n"), Map.of("y", 3.0)),
        new Event("d", 4, Map.of("k", "s1", "note", "m"), Map.of("x", 4.0)),
        new Event("e", 5, Map.of("k", "s1"), Map.of()),
        new Event("f", 6, Map.of("k", "s1"), Map.of("x", 6.0, "y", 7.0))); // after the others: the view's names unchanged
    LandmarkEvents.Builder builder = new LandmarkEvents.Builder(view);
    events.forEach(builder::add);
    LandmarkEvents.Decoded decoded = builder.events().decoded();
    for (int i = 0; i < events.size(); i++) {
      Event expected = events.get(i);
      Map<String, String> texts = new java.util.HashMap<>(expected.attributes());
      texts.remove("k"); // not measured: not kept
      assertThat(decoded.event(i).values()).as(expected.id()).isEqualTo(expected.values());
      assertThat(decoded.event(i).attributes()).as(expected.id()).isEqualTo(texts);
      assertThat(decoded.event(i).eventTime()).isEqualTo(expected.eventTime());
    }
  }

  @Test
  void manyEventsGoInChunksOfWholeEventsNoneOverTheChunkSizeUnlessOneEventNeedsMore() {
    String longNote = "é".repeat(LandmarkEvents.Builder.CHUNK); // 2 bytes a char in UTF-8: twice a chunk
    List<Event> events = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) { // 20,000 readings of 19 or 24 bytes: several chunks, events straddling their ends
      Map<String, String> texts = i == 7_000 ? Map.of("k", "s1", "note", longNote) : i % 3 == 0 ? Map.of("k", "s1", "note", "n")
          : Map.of("k", "s1");
      events.add(new Event("e" + i, 1_000 + i, i % 5_000 == 4_999 ? Map.of("k", "s1", "type", "reset") : texts, Map.of("x", i * 0.5)));
    }
    LandmarkEvents.Builder builder = new LandmarkEvents.Builder(VIEW);
    events.forEach(builder::add);
    LandmarkEvents sealed = builder.events();

    List<Integer> sizes = sealed.chunkSizes();
    assertThat(sizes.size()).isGreaterThan(5);
    assertThat(sizes.stream().filter(n -> n > LandmarkEvents.Builder.CHUNK).toList()).as("only the long note's").hasSize(1);
    assertThat(sizes.stream().filter(n -> n == 0)).isEmpty();
    LandmarkEvents.Decoded decoded = sealed.decoded();
    assertThat(decoded.size()).isEqualTo(events.size());
    for (int i = 0; i < events.size(); i++) {
      Event expected = events.get(i);
      assertThat(decoded.time(i)).isEqualTo(expected.eventTime());
      assertThat(decoded.reset(i)).isEqualTo(i % 5_000 == 4_999);
      assertThat(decoded.event(i).values()).isEqualTo(Map.of("x", i * 0.5));
      assertThat(decoded.event(i).attributes().get("note")).isEqualTo(expected.attributes().get("note"));
    }
  }
}
