package io.lambdastack.view.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import io.lambdastack.view.measure.SketchAssertions;

/**
 * The heart of "views are defined once": for any event set, split into any micro-batches in any order
 * (the speed layer) or into any partitions merged in any order (the batch layer), the answers are the same.
 * Exact for count/sum/min/max/mean; identical HLL registers; identical KLL sketches while they hold every
 * value (n <= k) and quantiles within KLL's rank error beyond (KLL compaction flips coins: see Quantiles).
 */
class SpeedBatchEquivalenceTest {
  static final String TOPIC = "readings";
  static final ViewFold FOLD = new ViewFold(ViewFile.parse("test", """
      views:
        - name: by_sensor
          source: readings
          key: [sensorId]
          bucket: 1m
          lateness: 10m
          measures: [count, sum(temperature), min(temperature), max(temperature), mean(temperature),
                     distinct(serial), quantiles(temperature)]
        - name: by_site_and_sensor
          source: readings
          key: [site, sensorId]
          bucket: 30s
          measures: [count, mean(temperature), distinct(serial) as serials]
        - name: elsewhere
          source: other-topic
          key: [sensorId]
          bucket: 1m
          measures: [count]
      """));

  @Property(tries = 200)
  void speedFoldEqualsBatchAggregation(
      @ForAll("events") List<Event> events, @ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int partitions) {
    Random random = new Random(seed);
    Map<BucketKey, Aggregate> speed = speedStyle(shuffled(events, random), random);
    Map<BucketKey, Aggregate> batch = batchStyle(shuffled(events, random), partitions, random);
    assertSameViews(speed, batch);
  }

  @Property(tries = 10)
  void largeCellsAgreeToo(@ForAll long seed) {
    Random random = new Random(seed);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 6000; i++) { // beyond HLL's list/set modes and KLL's k in one cell
      events.add(new Event("e" + i, random.nextInt(60_000), Map.of("sensorId", "s" + random.nextInt(2),
          "site", "north", "serial", "x" + random.nextInt(5000)), Map.of("temperature", random.nextGaussian() * 10)));
    }
    assertSameViews(speedStyle(shuffled(events, random), random), batchStyle(shuffled(events, random), 7, random));
  }

  /** Micro-batches in arrival order; each is folded, then merged into a state that is never modified in place. */
  static Map<BucketKey, Aggregate> speedStyle(List<Event> events, Random random) {
    Map<BucketKey, Aggregate> state = new HashMap<>();
    int i = 0;
    while (i < events.size()) {
      int end = Math.min(events.size(), i + 1 + random.nextInt(Math.max(1, events.size() / 3)));
      Map<BucketKey, Aggregate> partials = FOLD.fold(TOPIC, events.subList(i, end));
      Map<BucketKey, Aggregate> next = new HashMap<>();
      state.forEach((k, v) -> next.put(k, FOLD.aggregator(k.view()).copy(v)));
      FOLD.mergeInto(next, partials);
      state = next;
      i = end;
    }
    return state;
  }

  /** Random partitions, each folded, partials merged in random order (as reduceByKey may). */
  static Map<BucketKey, Aggregate> batchStyle(List<Event> events, int partitions, Random random) {
    List<List<Event>> parts = new ArrayList<>();
    for (int p = 0; p < partitions; p++) parts.add(new ArrayList<>());
    events.forEach(e -> parts.get(random.nextInt(partitions)).add(e));
    List<Map<BucketKey, Aggregate>> partials = new ArrayList<>();
    parts.forEach(p -> partials.add(FOLD.fold(TOPIC, p)));
    Collections.shuffle(partials, random);
    Map<BucketKey, Aggregate> result = new HashMap<>();
    partials.forEach(p -> p.forEach((k, v) -> result.merge(k, v, FOLD::merge)));
    return result;
  }

  static void assertSameViews(Map<BucketKey, Aggregate> speed, Map<BucketKey, Aggregate> batch) {
    assertThat(speed.keySet()).isEqualTo(batch.keySet());
    speed.forEach((cell, s) -> {
      Aggregate b = batch.get(cell);
      ViewAggregator aggregator = FOLD.aggregator(cell.view());
      Map<String, Object> sr = aggregator.results(s);
      Map<String, Object> br = aggregator.results(b);
      assertThat(s.events()).isEqualTo(b.events());
      assertThat(s.maxEventTime()).isEqualTo(b.maxEventTime());
      for (String exact : List.of("count", "sum_temperature", "min_temperature", "max_temperature", "mean_temperature",
          "distinct_serial", "serials")) {
        if (sr.containsKey(exact)) {
          assertThat(sr.get(exact)).as(cell + " " + exact).isEqualTo(br.get(exact));
        }
      }
      for (int i = 0; i < aggregator.view().measures().size(); i++) {
        SketchAssertions.assertSameSketch(cell + " " + aggregator.view().measures().get(i).name(),
            aggregator.state(s, i), aggregator.state(b, i));
      }
    });
  }

  static List<Event> shuffled(List<Event> events, Random random) {
    List<Event> copy = new ArrayList<>(events);
    Collections.shuffle(copy, random);
    return copy;
  }

  @Provide
  Arbitrary<List<Event>> events() {
    Arbitrary<Event> event = Combinators.combine(
        Arbitraries.integers().between(0, 9),
        Arbitraries.longs().between(-120_000, 600_000),
        Arbitraries.of("north", "south"),
        Arbitraries.doubles().between(-1e6, 1e6).ofScale(3).injectNull(0.05),
        Arbitraries.integers().between(0, 300)).as((sensor, ts, site, temperature, serial) -> new Event(
            "e" + sensor + "-" + ts, ts, Map.of("sensorId", "s" + sensor, "site", site, "serial", "x" + serial),
            temperature == null ? Map.of() : Map.of("temperature", temperature)));
    return event.list().ofMaxSize(400);
  }
}
