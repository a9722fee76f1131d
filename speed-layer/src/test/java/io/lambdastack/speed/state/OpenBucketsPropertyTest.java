package io.lambdastack.speed.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.BucketKey;
import io.lambdastack.view.aggregate.ViewFold;
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

/**
 * The speed layer's own path — micro-batch fold, per-key {@link KeyBatch}, {@link OpenBuckets#apply} with
 * lateness, eviction and copy-on-merge, the last upsert per bucket as the compacted topic keeps it —
 * against the batch-style fold of all events at once.
 */
class OpenBucketsPropertyTest {
  static ViewFold fold(String lateness) {
    return new ViewFold(ViewFile.parse("p", """
        views:
          - name: v
            source: t
            key: [k]
            bucket: 10s
            lateness: %s
            measures: [count, sum(x), min(x), max(x), mean(x), distinct(d)]
        """.formatted(lateness)));
  }

  /** Runs the events through the speed path; returns the last published aggregate per cell, and the late count. */
  static Map<BucketKey, Aggregate> speed(ViewFold fold, List<Event> events, Random random, long[] late) {
    Map<ViewKey, OpenBuckets> state = new HashMap<>();
    Map<BucketKey, Aggregate> published = new HashMap<>();
    int i = 0;
    while (i < events.size()) {
      int end = Math.min(events.size(), i + 1 + random.nextInt(Math.max(1, events.size() / 4)));
      Map<ViewKey, KeyBatch> batches = new HashMap<>();
      fold.fold("t", events.subList(i, end)).forEach((cell, partial) -> batches.merge(new ViewKey(cell.view(), cell.key()),
          KeyBatch.of(cell.bucketStart(), partial), (a, b) -> KeyBatch.merge(a, b, fold)));
      batches.forEach((key, batch) -> {
        OpenBuckets.Outcome o = state.getOrDefault(key, OpenBuckets.empty()).apply(batch, fold.aggregator(key.view()));
        state.put(key, o.state());
        late[0] += o.lateEvents();
        o.updated().forEach(b -> published.put(new BucketKey(key.view(), key.key(), b.bucketStart()), b.aggregate()));
      });
      i = end;
    }
    return published;
  }

  @Property(tries = 200)
  void withEnoughLatenessTheSpeedPathEqualsTheBatchFold(@ForAll("events") List<Event> events, @ForAll long seed) {
    ViewFold fold = fold("10m"); // more than the events' span: nothing is late
    Random random = new Random(seed);
    List<Event> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, random);
    long[] late = {0};
    Map<BucketKey, Aggregate> speed = speed(fold, shuffled, random, late);
    Map<BucketKey, Aggregate> batch = fold.fold("t", events);
    assertThat(late[0]).isZero();
    assertThat(speed.keySet()).isEqualTo(batch.keySet());
    speed.forEach((cell, a) -> assertThat(fold.aggregator("v").results(a)).as(cell.toString())
        .isEqualTo(fold.aggregator("v").results(batch.get(cell))));
  }

  @Property(tries = 200)
  void withShortLatenessEveryEventIsPublishedOrCountedLate(@ForAll("events") List<Event> events, @ForAll long seed) {
    ViewFold fold = fold("5s");
    Random random = new Random(seed);
    List<Event> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, random);
    long[] late = {0};
    Map<BucketKey, Aggregate> speed = speed(fold, shuffled, random, late);
    long published = speed.values().stream().mapToLong(Aggregate::events).sum();
    assertThat(published + late[0]).isEqualTo(events.size());
    // and a published bucket never holds more than the batch view of the same cell
    Map<BucketKey, Aggregate> batch = fold.fold("t", events);
    speed.forEach((cell, a) -> assertThat(a.events()).isLessThanOrEqualTo(batch.get(cell).events()));
  }

  @Provide
  Arbitrary<List<Event>> events() {
    return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.longs().between(0, 120_000),
        Arbitraries.integers().between(-400, 400), Arbitraries.integers().between(0, 50))
        .as((k, ts, x, d) -> new Event("e", ts, Map.of("k", "k" + k, "d", "d" + d), Map.of("x", x * 0.25)))
        .list().ofMaxSize(300);
  }
}
