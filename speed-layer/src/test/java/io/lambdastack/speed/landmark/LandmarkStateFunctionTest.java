package io.lambdastack.speed.landmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.kafka.TopicRange;
import io.lambdastack.view.update.ViewUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.Optional;
import org.apache.spark.streaming.State;
import org.junit.jupiter.api.Test;

/**
 * The landmark function against its definition: the batch's events walked in event-time order (a reset before the
 * readings of its instant), each reset closing the open segment. The function computes the same without sorting;
 * random batches (ties, resets at a segment's start, late events, several chunks) must give the same segments,
 * late counts and state, to the measure.
 */
class LandmarkStateFunctionTest {
  static final ViewFold FOLD = new ViewFold(ViewFile.parse("v", """
      views:
        - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, sum(x), min(x), max(x), distinct(d)]}
      """));
  static final ViewAggregator AGGREGATOR = FOLD.aggregator("segments");
  static final ViewKey KEY = new ViewKey("segments", "s1");

  @Test
  void givesTheSegmentsOfTheEventTimeWalkOnRandomBatches() {
    Random random = new Random(7);
    for (int round = 0; round < 3_000; round++) {
      List<Event> events = new ArrayList<>();
      int n = 1 + random.nextInt(40);
      int span = 1 + random.nextInt(30); // few instants: ties between readings and resets
      for (int i = 0; i < n; i++) {
        long time = 1_000 + random.nextInt(span);
        boolean reset = random.nextInt(6) == 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("k", "s1");
        if (reset) {
          attributes.put("type", "reset");
        }
        if (random.nextBoolean()) {
          attributes.put("d", "d" + random.nextInt(4));
        }
        Map<String, Double> values = random.nextInt(5) == 0 ? Map.of() : Map.of("x", (double) random.nextInt(100) - 50);
        events.add(new Event("e" + i, time, attributes, values));
      }
      LandmarkSegment before = null;
      if (random.nextBoolean()) {
        Aggregate open = AGGREGATOR.zero();
        for (int i = random.nextInt(3); i > 0; i--) {
          AGGREGATOR.add(open, new Event("p" + i, 990 + i, Map.of("k", "s1", "d", "old"), Map.of("x", 7.0 * i)));
        }
        before = new LandmarkSegment(1_000 + random.nextInt(span + 2) - 1, open);
      }
      LandmarkEvents batch = inChunks(events, 1 + random.nextInt(3));

      TestState actualState = new TestState(before);
      KeyOutcome actual = new LandmarkStateFunction(FOLD).call(KEY, Optional.of(batch), actualState);
      TestState expectedState = new TestState(before);
      KeyOutcome expected = walk(batch, expectedState);

      assertSameWalk("round " + round + ": " + events + " after " + before, actual, actualState, expected, expectedState, AGGREGATOR);
    }
  }

  /** A view whose measures merge exactly: its parts also bring their readings aggregated in runs between their resets. */
  static final ViewFold EXACT = new ViewFold(ViewFile.parse("v", """
      views:
        - {name: exact, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, sum(x), mean(x), min(x), max(x)]}
      """));
  static final ViewKey EXACT_KEY = new ViewKey("exact", "s1");

  /**
   * Runs give the walk's segments whenever no start or reset falls inside one, and otherwise the events do: batches
   * in time order (as a sensor sends; each part a stretch of it, as tasks read slices of a partition), with the open
   * segment's start sometimes inside them, and batches out of order (a part's own reset inside its run, or another
   * part's), must all give the segments of the walk. Half the parts are read from Kafka: they keep no events, and the
   * function reads them again from the part's slice when the runs cannot be used; the walk is given every event.
   */
  @Test
  void runsGiveTheSegmentsOfTheWalkAndTheEventsDoWhenAStartOrResetFallsInsideARun() {
    ViewAggregator aggregator = EXACT.aggregator("exact");
    ViewDefinition view = EXACT.catalog().view("exact").orElseThrow();
    Random random = new Random(11);
    int fromRuns = 0;
    int fellBack = 0;
    int readAgain = 0;
    for (int round = 0; round < 3_000; round++) {
      boolean inOrder = random.nextInt(3) > 0;
      List<Event> events = new ArrayList<>();
      int n = 1 + random.nextInt(40);
      int span = 1 + random.nextInt(60);
      for (int i = 0; i < n; i++) {
        long time = 1_000 + random.nextInt(span);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("k", "s1");
        if (random.nextInt(8) == 0) {
          attributes.put("type", "reset");
        }
        double x = switch (random.nextInt(3)) { // whole, fractional (exact sums' binary fractions), large
          case 0 -> random.nextInt(100) - 50;
          case 1 -> (random.nextInt(10_000) - 5_000) / 100.0 + random.nextDouble() * 1e-9;
          default -> random.nextGaussian() * 1e17;
        };
        Map<String, Double> values = random.nextInt(6) == 0 ? Map.of() : Map.of("x", x);
        events.add(new Event("e" + i, time, attributes, values));
      }
      if (inOrder) {
        events.sort(java.util.Comparator.comparingLong(Event::eventTime));
      }
      LandmarkSegment before = null;
      if (random.nextBoolean()) {
        Aggregate open = aggregator.zero();
        aggregator.add(open, new Event("p", 990, Map.of("k", "s1"), Map.of("x", 7.0)));
        before = new LandmarkSegment(990 + random.nextInt(span + 20), open);
      }
      LandmarkEvents batch = null;
      LandmarkEvents allKept = null;
      int parts = 1 + random.nextInt(3);
      Map<KafkaSlice, LandmarkEvents> inKafka = new java.util.HashMap<>();
      for (int p = 0; p < parts; p++) { // contiguous stretches, as EqualSlices cuts a partition
        KafkaSlice slice = new KafkaSlice(1_000, List.of(new TopicRange("t", 0, p * n / parts, (p + 1) * n / parts)), "broker:9092");
        LandmarkEvents.Builder builder = new LandmarkEvents.Builder(view, aggregator).readAgainFrom(random.nextBoolean() ? slice : null);
        LandmarkEvents.Builder kept = new LandmarkEvents.Builder(view);
        events.subList(p * n / parts, (p + 1) * n / parts).forEach(e -> {
          builder.add(e);
          kept.add(e);
        });
        LandmarkEvents part = builder.events();
        if (!part.unkept().isEmpty()) { // only these slices may be read again
          inKafka.put(slice, kept.events());
        }
        batch = batch == null ? part : batch.merge(part);
        allKept = allKept == null ? kept.events() : allKept.merge(kept.events());
      }
      if (LandmarkStateFunction.fromRuns(batch, before, aggregator) != null) {
        fromRuns++;
      } else {
        fellBack++;
      }

      TestState actualState = new TestState(before);
      // Each slice read again counts its records (its offsets here), as a call that read the slice itself does.
      KeyOutcome actual = new LandmarkStateFunction(EXACT, (key, slice) -> new LandmarkStateFunction.Found(inKafka.get(slice),
          slice.ranges().get(0).until() - slice.ranges().get(0).from())).call(EXACT_KEY, Optional.of(batch), actualState);
      TestState expectedState = new TestState(before);
      KeyOutcome expected = walk(allKept, expectedState, aggregator, EXACT_KEY);
      assertThat(actual.readAgain()).as("read again").isEqualTo(!batch.unkept().isEmpty()
          && LandmarkStateFunction.fromRuns(batch, before, aggregator) == null);
      readAgain += actual.readAgain() ? 1 : 0;
      assertThat(actual.recordsReadAgain()).as("records read again").isEqualTo(!actual.readAgain() ? 0
          : batch.unkept().stream().mapToLong(slice -> slice.ranges().get(0).until() - slice.ranges().get(0).from()).sum());

      assertSameWalk("round " + round + ": " + events + " after " + before, actual, actualState, expected, expectedState, aggregator);
    }
    assertThat(fromRuns).as("batches walked from their runs").isGreaterThan(1_000);
    assertThat(fellBack).as("batches walked from their events").isGreaterThan(300);
    assertThat(readAgain).as("batches whose events were read again").isGreaterThan(100);
  }

  @Test
  void aBatchWhoseEventsAreNotAllReadAgainFailsWithWhereItReadThem() {
    ViewDefinition view = EXACT.catalog().view("exact").orElseThrow();
    KafkaSlice slice = new KafkaSlice(1_000, List.of(new TopicRange("t", 2, 40, 50)), "broker:9092");
    LandmarkEvents.Builder builder = new LandmarkEvents.Builder(view, EXACT.aggregator("exact")).readAgainFrom(slice);
    // A reset inside the part's own run: no runs, and no events kept.
    List.of(reading(100, 1.0), reading(105, 2.0), reset(103)).forEach(builder::add);
    LandmarkEvents.Builder fewer = new LandmarkEvents.Builder(view);
    List.of(reading(100, 1.0), reset(103)).forEach(fewer::add); // one record gone since the batch read them
    LandmarkStateFunction function = new LandmarkStateFunction(EXACT, (key, s) -> new LandmarkStateFunction.Found(fewer.events(), 0));

    assertThatThrownBy(() -> function.call(EXACT_KEY, Optional.of(builder.events()), new TestState(null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("landmark events read again from t-2[40..50) at broker:9092: 2 where the batch read 3 "
            + "(did the records change since, e.g. compacted?)");
    LandmarkStateFunction none = new LandmarkStateFunction(EXACT, (key, s) -> new LandmarkStateFunction.Found(null, 0)); // the key not found at all
    assertThatThrownBy(() -> none.call(EXACT_KEY, Optional.of(builder.events()), new TestState(null)))
        .hasMessageContaining(": 0 where the batch read 3");
  }

  @Test
  void aViewWithASketchOrAResetInsideAPartsOwnRunKeepsItsEventsOnly() {
    LandmarkEvents.Builder sketch = new LandmarkEvents.Builder(FOLD.catalog().view("segments").orElseThrow(), AGGREGATOR);
    sketch.add(reading(100, 1.0));
    assertThat(sketch.events().hasRuns()).as("distinct(d) merges HLL sketches").isFalse();

    ViewDefinition view = EXACT.catalog().view("exact").orElseThrow();
    LandmarkEvents.Builder inOrder = new LandmarkEvents.Builder(view, EXACT.aggregator("exact"));
    List.of(reading(100, 1.0), reading(104, 2.0), reset(105), reading(105, 4.0), reading(107, 8.0)).forEach(inOrder::add);
    LandmarkEvents runs = inOrder.events();
    assertThat(runs.runs()).extracting(LandmarkEvents.Run::min, LandmarkEvents.Run::max, r -> r.aggregate().events())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(100L, 104L, 2L), org.assertj.core.groups.Tuple.tuple(105L, 107L, 2L));
    assertThat(runs.resetTimes()).containsExactly(105L);

    LandmarkEvents.Builder late = new LandmarkEvents.Builder(view, EXACT.aggregator("exact"));
    // A reading of the reset's own instant sent before it: the reset opens that instant, so the run [100, 105] is split.
    List.of(reading(100, 1.0), reading(105, 2.0), reset(105)).forEach(late::add);
    assertThat(late.events().hasRuns()).isFalse();
    assertThat(runs.merge(late.events()).hasRuns()).as("a batch has runs only if every part has").isFalse();
  }

  @Test
  void carriesTheOpenSegmentAcrossBatchesAndClosesItAtTheNextReset() {
    TestState state = new TestState(null);
    LandmarkStateFunction function = new LandmarkStateFunction(FOLD);
    function.call(KEY, Optional.of(inChunks(List.of(reading(100, 1.0), reading(105, 3.0)), 1)), state);
    KeyOutcome second = function.call(KEY, Optional.of(inChunks(List.of(reading(120, 5.0), reset(110), reading(90, 9.0)), 2)), state);

    assertThat(second.lateEvents()).isEqualTo(1); // 90 is before the segment that opened at 100
    assertThat(second.updates()).extracting(LandmarkStateFunctionTest::describe).containsExactly(
        "100..110 events 2 {count=2, sum_x=4.0, min_x=1.0, max_x=3.0, distinct_d=0, closed=true}",
        "110..121 events 1 {count=1, sum_x=5.0, min_x=5.0, max_x=5.0, distinct_d=0, closed=false}");
    assertThat(state.value.start()).isEqualTo(110);
  }

  /** The same late count, updates (to the measure) and state, open segment included. */
  private static void assertSameWalk(String context, KeyOutcome actual, TestState actualState, KeyOutcome expected,
      TestState expectedState, ViewAggregator aggregator) {
    assertThat(actual.lateEvents()).as(context).isEqualTo(expected.lateEvents());
    assertThat(actual.updates()).as(context).extracting(LandmarkStateFunctionTest::describe)
        .containsExactlyElementsOf(expected.updates().stream().map(LandmarkStateFunctionTest::describe).toList());
    assertThat(actualState.value.start()).as(context).isEqualTo(expectedState.value.start());
    assertThat(aggregator.results(actualState.value.open())).as(context).isEqualTo(aggregator.results(expectedState.value.open()));
    assertThat(actualState.value.open().events()).as(context).isEqualTo(expectedState.value.open().events());
    assertThat(actualState.value.open().maxEventTime()).as(context).isEqualTo(expectedState.value.open().maxEventTime());
  }

  static Event reading(long time, double x) {
    return new Event("r" + time, time, Map.of("k", "s1"), Map.of("x", x));
  }

  static Event reset(long time) {
    return new Event("z" + time, time, Map.of("k", "s1", "type", "reset"), Map.of());
  }

  static LandmarkEvents inChunks(List<Event> events, int chunks) {
    LandmarkEvents all = null;
    for (int c = 0; c < chunks; c++) {
      LandmarkEvents.Builder builder = new LandmarkEvents.Builder(FOLD.catalog().view("segments").orElseThrow());
      for (int i = c; i < events.size(); i += chunks) {
        builder.add(events.get(i));
      }
      all = all == null ? builder.events() : all.merge(builder.events());
    }
    return all;
  }

  static String describe(ViewUpdate u) {
    return u.bucketStart() + ".." + u.bucketEnd() + " events " + u.events() + " " + u.measures();
  }

  /** The definition: the batch sorted by event time (a reset first at its instant), walked one event at a time. */
  static KeyOutcome walk(LandmarkEvents batch, TestState state) {
    return walk(batch, state, AGGREGATOR, KEY);
  }

  /** {@link #walk(LandmarkEvents, TestState)} for any landmark view and key. */
  static KeyOutcome walk(LandmarkEvents batch, TestState state, ViewAggregator aggregator, ViewKey key) {
    List<LandmarkEvents.Marked> events = batch.sorted();
    LandmarkSegment current = state.exists() ? state.get() : null;
    long start = current == null ? events.get(0).event().eventTime() : current.start();
    Aggregate open = current == null ? aggregator.zero() : aggregator.copy(current.open());
    List<ViewUpdate> updates = new ArrayList<>();
    long late = 0;
    for (LandmarkEvents.Marked m : events) {
      Event e = m.event();
      if (e.eventTime() < start) {
        late++;
      } else if (m.reset()) {
        if (e.eventTime() > start) {
          updates.add(LandmarkStateFunction.update(key, start, e.eventTime(), open, true, aggregator));
        }
        start = e.eventTime();
        open = aggregator.zero();
      } else {
        aggregator.add(open, e);
      }
    }
    if (late < events.size()) {
      updates.add(LandmarkStateFunction.update(key, start, open.events() == 0 ? start : open.maxEventTime() + 1, open, false, aggregator));
    }
    state.update(new LandmarkSegment(start, open));
    return new KeyOutcome(key, updates, late);
  }

  /** A key's state outside Spark. */
  static final class TestState extends State<LandmarkSegment> {
    LandmarkSegment value;

    TestState(LandmarkSegment value) {
      this.value = value;
    }

    @Override public boolean exists() { return value != null; }

    @Override public LandmarkSegment get() { return value; }

    @Override public void update(LandmarkSegment newState) { value = newState; }

    @Override public void remove() { value = null; }

    @Override public boolean isTimingOut() { return false; }

  }
}
