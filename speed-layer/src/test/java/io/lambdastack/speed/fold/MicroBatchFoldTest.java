package io.lambdastack.speed.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.speed.landmark.LandmarkEvents;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.BucketKey;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.speed.sliding.WindowSums;
import io.lambdastack.view.event.Event;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import io.lambdastack.speed.testing.LocalSpark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The one-pass fold of a micro-batch, on local Spark: every view kind's partial per (view, key) equals what
 * that kind computes from all of the batch's events at once, and every partial sits in the partition its
 * key's hash gives (the states downstream rely on that to skip their shuffle).
 */
class MicroBatchFoldTest {
  static final ViewFold FOLD = new ViewFold(ViewFile.parse("v", """
      views:
        - {name: buckets, source: t, key: [k], bucket: 10s, measures: [count, sum(x), mean(x), min(x), distinct(d)]}
        - {name: pairs, source: t, key: [k, d], bucket: 1m, measures: [count, max(x)]}
        - {name: totals, kind: running, source: t, key: [k], measures: [count, mean(x)]}
        - {name: window, kind: sliding, source: t, key: [d], window: 10s, slide: 1s, measures: [count, sum(x), mean(x)]}
        - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, mean(x), distinct(d)]}
        - {name: elsewhere, source: other, key: [k], bucket: 10s, measures: [count]}
      """));
  static JavaSparkContext spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start("micro-batch-fold-test");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static List<Event> events(long seed) {
    Random random = new Random(seed);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      Map<String, String> attributes = new HashMap<>();
      Map<String, Double> values = new HashMap<>();
      if (random.nextInt(20) > 0) {
        attributes.put("k", "k" + random.nextInt(6)); // some events lack the key: in no view keyed by k
      }
      attributes.put("d", "d" + random.nextInt(4));
      if (random.nextInt(30) == 0) {
        attributes.put("type", "reset");
      } else if (random.nextInt(10) > 0) {
        values.put("x", Math.round(random.nextGaussian() * 1_000) / 100.0);
      }
      events.add(new Event("e" + i, 1_700_000_000_000L + random.nextInt(300_000), attributes, values));
    }
    return events;
  }

  @Test
  void eachKindsPartialEqualsItsFoldOfTheWholeBatchAndSitsInItsKeysPartition() {
    List<Event> events = events(5);
    List<Tuple2<String, Event>> input = new ArrayList<>();
    events.forEach(e -> input.add(new Tuple2<>("t", e)));
    HashPartitioner partitioner = new HashPartitioner(3);
    JavaPairRDD<ViewKey, KeyPartial> partials = MicroBatchFold.of(spark.parallelizePairs(input, 4), FOLD, partitioner);

    assertThat(partials.rdd().partitioner().get()).isEqualTo(partitioner);
    List<Boolean> placed = partials.mapPartitionsWithIndex((index, p) -> {
      List<Boolean> out = new ArrayList<>();
      p.forEachRemaining(kv -> out.add(partitioner.getPartition(kv._1()) == index));
      return out.iterator();
    }, true).collect();
    assertThat(placed).isNotEmpty().containsOnly(true);

    Map<ViewKey, KeyPartial> byKey = partials.collectAsMap();
    assertThat(byKey.keySet()).extracting(ViewKey::view).doesNotContain("elsewhere");
    assertBuckets(byKey, events);
    for (String k : List.of("k0", "k1", "k2", "k3", "k4", "k5")) {
      List<Event> ofKey = events.stream().filter(e -> k.equals(e.attributes().get("k"))).toList();
      Aggregate total = ((KeyPartial.Total) byKey.get(new ViewKey("totals", k))).partial();
      assertThat(results("totals", total)).isEqualTo(results("totals", foldAll("totals", ofKey)));
      LandmarkEvents segment = ((KeyPartial.Landmark) byKey.get(new ViewKey("segments", k))).events();
      assertLandmark(segment, ofKey);
    }
    for (String d : List.of("d0", "d1", "d2", "d3")) {
      List<Event> ofKey = events.stream().filter(e -> d.equals(e.attributes().get("d"))).toList();
      Map<String, Object> window = ((KeyPartial.Window) byKey.get(new ViewKey("window", d))).sums()
          .results(FOLD.catalog().view("window").orElseThrow());
      List<BigDecimal> xs = ofKey.stream().filter(e -> e.number("x") != null).map(e -> new BigDecimal(e.number("x"))).toList();
      BigDecimal sum = xs.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(window).containsEntry("count", (long) ofKey.size()).containsEntry("sum_x", sum.doubleValue())
          .containsEntry("mean_x", sum.divide(BigDecimal.valueOf(xs.size()), java.math.MathContext.DECIMAL128).doubleValue());
    }
  }

  /**
   * A key's events at the edges of its buckets (the last and first millisecond of each, before and after 1970), in and
   * out of order: each lands in the bucket the batch layer's routing gives it, though a task keeps each key's current
   * bucket at hand.
   */
  @Test
  void eventsAtBucketEdgesLandWhereTheBatchLayerPutsThem() {
    long[] times = {-60_001, -60_000, -10_001, -10_000, -9_999, -1, 0, 1, 9_999, 10_000, 10_001, 19_999, 20_000, 59_999, 60_000};
    List<Event> events = new ArrayList<>();
    Random random = new Random(11);
    for (int pass = 0; pass < 3; pass++) {
      List<Long> order = new ArrayList<>();
      for (long t : times) {
        order.add(t);
      }
      if (pass > 0) {
        java.util.Collections.shuffle(order, random); // the first pass in time order, then out of it
      }
      for (long t : order) {
        events.add(new Event("e" + events.size(), t, Map.of("k", "k" + pass % 2, "d", "d0"), Map.of("x", (double) events.size())));
      }
    }
    List<Tuple2<ViewKey, KeyPartial>> partials = MicroBatchFold.foldPartition(
        events.stream().map(e -> new Tuple2<>("t", e)).iterator(), FOLD);
    Map<ViewKey, KeyPartial> byKey = new HashMap<>();
    partials.forEach(p -> byKey.put(p._1(), p._2()));
    assertBuckets(byKey, events);
    Map<Long, Long> tenSecondBuckets = new java.util.TreeMap<>();
    ((KeyPartial.Buckets) byKey.get(new ViewKey("buckets", "k0"))).batch().buckets()
        .forEach((start, a) -> tenSecondBuckets.put(start, (Long) FOLD.aggregator("buckets").results(a).get("count")));
    // k0 has passes 0 and 2: two events at each of the fifteen times
    assertThat(tenSecondBuckets).isEqualTo(Map.of(-70_000L, 2L, -60_000L, 2L, -20_000L, 2L, -10_000L, 6L, 0L, 6L,
        10_000L, 6L, 20_000L, 2L, 50_000L, 2L, 60_000L, 2L));
  }

  /**
   * A task's events from two topics, interleaved, their names equal Strings that are not one object (as records of
   * different partitions may carry them): each view folds exactly its own topic's events.
   */
  @Test
  void eventsOfTwoTopicsInterleavedReachOnlyTheirOwnTopicsViews() {
    List<Event> events = events(9).subList(0, 600);
    List<Tuple2<String, Event>> input = new ArrayList<>();
    List<Event> ofT = new ArrayList<>();
    List<Event> ofOther = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      boolean other = i % 3 == 1 || i % 7 == 0; // runs of one topic, and single switches
      input.add(new Tuple2<>(new String(other ? "other" : "t"), events.get(i)));
      (other ? ofOther : ofT).add(events.get(i));
    }
    Map<ViewKey, KeyPartial> byKey = new HashMap<>();
    MicroBatchFold.foldPartition(input.iterator(), FOLD).forEach(p -> byKey.put(p._1(), p._2()));
    Map<ViewKey, KeyPartial> ofTOnly = new HashMap<>(byKey);
    ofTOnly.keySet().removeIf(k -> k.view().equals("elsewhere"));
    assertBuckets(ofTOnly, ofT);
    Map<BucketKey, Aggregate> expected = FOLD.fold("other", ofOther);
    Map<BucketKey, Aggregate> actual = new HashMap<>();
    byKey.forEach((key, partial) -> {
      if (key.view().equals("elsewhere")) {
        ((KeyPartial.Buckets) partial).batch().buckets().forEach((start, a) -> actual.put(new BucketKey(key.view(), key.key(), start), a));
      }
    });
    assertThat(actual.keySet()).isNotEmpty().isEqualTo(expected.keySet());
    expected.forEach((cell, a) -> assertThat(results(cell.view(), actual.get(cell))).isEqualTo(results(cell.view(), a)));
  }

  /** Running and sliding views with and without bucket views that cover them. */
  static final String ROLLED_UP_VIEWS = """
      views:
        - {name: by_k, source: t, key: [k], bucket: 10s, measures: [count, sum(x), min(x), max(x)]}
        - {name: by_d, source: t, key: [d], bucket: 1m, measures: [count, mean(x)]}
      """;
  static final String FOLDED_VIEWS = """
        - {name: totals, kind: running, source: t, key: [k], measures: [count, mean(x), max(x)]}
        - {name: window, kind: sliding, source: t, key: [d], window: 10s, slide: 1s, measures: [count, sum(x), mean(x)]}
        - {name: sketched, kind: running, source: t, key: [k], measures: [count, distinct(d)]}
        - {name: pairs, kind: running, source: t, key: [k, d], measures: [count]}
      """;

  @Test
  void aRunningOrSlidingViewThatABucketViewCoversIsRolledUpFromItsPartialsWithTheSameAnswers() {
    ViewFold withBuckets = new ViewFold(ViewFile.parse("v", ROLLED_UP_VIEWS + FOLDED_VIEWS));
    ViewFold alone = new ViewFold(ViewFile.parse("v", "views:\n" + FOLDED_VIEWS));
    List<Event> events = events(9);
    events.add(new Event("top", 1_700_000_000_000L, Map.of("k", "k1", "d", "*"), Map.of("x", 1.0))); // the ranking's key

    PartitionFold rolled = new PartitionFold(withBuckets, null);
    PartitionFold folded = new PartitionFold(alone, null);
    events.forEach(e -> {
      rolled.add("t", e);
      folded.add("t", e);
    });
    assertThat(rolled.rolledUpViews()).containsExactly("totals", "window"); // not a sketch, not another key
    assertThat(folded.rolledUpViews()).isEmpty();

    Map<ViewKey, KeyPartial> expected = asMap(folded.partials());
    Map<ViewKey, KeyPartial> actual = asMap(rolled.partials());
    assertThat(actual.keySet()).containsAll(expected.keySet()).doesNotContain(new ViewKey("window", "*"));
    assertThat(actual.keySet().stream().filter(k -> !k.view().startsWith("by_")).toList()).hasSameSizeAs(expected.keySet());
    expected.forEach((key, partial) -> {
      if (partial instanceof KeyPartial.Total t) {
        Aggregate r = ((KeyPartial.Total) actual.get(key)).partial();
        assertThat(answers(alone, r)).as(key.toString()).isEqualTo(answers(alone, t.partial()));
      } else {
        ViewDefinition view = alone.catalog().view(key.view()).orElseThrow();
        WindowSums r = ((KeyPartial.Window) actual.get(key)).sums();
        assertThat(r.results(view)).as(key.toString()).isEqualTo(((KeyPartial.Window) partial).sums().results(view));
        assertThat(r.events()).isEqualTo(((KeyPartial.Window) partial).sums().events());
      }
    });

    // The bucket views' own partials, which the roll-up read, are those of the bucket views folded alone, to the byte.
    ViewFold bucketsAlone = new ViewFold(ViewFile.parse("v", ROLLED_UP_VIEWS));
    PartitionFold buckets = new PartitionFold(bucketsAlone, null);
    events.forEach(e -> buckets.add("t", e));
    Map<ViewKey, KeyPartial> bucketPartials = asMap(buckets.partials());
    assertThat(actual.keySet().stream().filter(k -> k.view().startsWith("by_")).collect(java.util.stream.Collectors.toSet()))
        .isEqualTo(bucketPartials.keySet());
    bucketPartials.forEach((key, partial) -> {
      Map<Long, Aggregate> onItsOwn = ((KeyPartial.Buckets) partial).batch().buckets();
      Map<Long, Aggregate> read = ((KeyPartial.Buckets) actual.get(key)).batch().buckets();
      assertThat(read.keySet()).as(key.toString()).isEqualTo(onItsOwn.keySet());
      onItsOwn.forEach((start, a) -> assertThat(withBuckets.aggregator(key.view()).encode(read.get(start))).as(key + " " + start)
          .isEqualTo(bucketsAlone.aggregator(key.view()).encode(a)));
    });
  }

  /**
   * A landmark view that a bucket view of its key covers takes each key's first run (its readings before the task's
   * first reset of the key) from that view's buckets: the runs, resets and events are those it makes folding alone.
   * Keys of in-order readings with resets (runs kept), of random times (a reset inside a run: runs given up), a key
   * that starts with a reset, and one with no reset at all.
   */
  @Test
  void aLandmarkViewThatABucketViewCoversRollsItsFirstRunsUpWithTheSameRuns() {
    String landmark = "  - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, mean(x), min(x), max(x)]}\n";
    ViewFold withBuckets = new ViewFold(ViewFile.parse("v", ROLLED_UP_VIEWS + landmark));
    ViewFold alone = new ViewFold(ViewFile.parse("v", "views:\n" + landmark));
    List<Event> events = new ArrayList<>(events(11)); // keys k0-k5, random times
    Random random = new Random(12);
    long t = 1_700_000_000_000L;
    for (int i = 0; i < 2_000; i++) {
      boolean reset = i % 300 == 150;
      Map<String, Double> x = reset || random.nextInt(10) == 0 ? Map.of() : Map.of("x", Math.round(random.nextGaussian() * 1_000) / 100.0);
      events.add(new Event("o" + i, t + i * 50L, reset ? Map.of("k", "ordered", "type", "reset") : Map.of("k", "ordered"), x));
      if (i % 7 == 0) {
        events.add(new Event("q" + i, t + i * 50L, Map.of("k", "quiet"), Map.of("x", i / 8.0)));
      }
    }
    events.add(new Event("first-reset", t - 1, Map.of("k", "starts", "type", "reset"), Map.of()));
    events.add(new Event("after", t, Map.of("k", "starts"), Map.of("x", 2.5)));

    PartitionFold rolled = new PartitionFold(withBuckets, null);
    PartitionFold folded = new PartitionFold(alone, null);
    events.forEach(e -> {
      rolled.add("t", e);
      folded.add("t", e);
    });
    assertThat(rolled.landmarksRolledUp()).containsExactly("segments"); // by_k covers it: count, mean, min, max of x
    assertThat(folded.landmarksRolledUp()).isEmpty();
    Map<ViewKey, KeyPartial> expected = asMap(folded.partials());
    Map<ViewKey, KeyPartial> actual = asMap(rolled.partials());
    ViewAggregator aggregator = alone.aggregator("segments");
    int withRuns = 0;
    for (Map.Entry<ViewKey, KeyPartial> e : expected.entrySet()) {
      LandmarkEvents want = ((KeyPartial.Landmark) e.getValue()).events();
      LandmarkEvents got = ((KeyPartial.Landmark) actual.get(e.getKey())).events();
      String as = e.getKey().toString();
      assertThat(got.size()).as(as).isEqualTo(want.size());
      assertThat(got.sorted()).as(as).isEqualTo(want.sorted());
      assertThat(got.hasRuns()).as(as).isEqualTo(want.hasRuns());
      long[] resets = got.resetTimes();
      long[] wantResets = want.resetTimes();
      java.util.Arrays.sort(resets);
      java.util.Arrays.sort(wantResets);
      assertThat(resets).as(as).isEqualTo(wantResets);
      assertThat(got.runs()).as(as).hasSameSizeAs(want.runs());
      for (int i = 0; i < want.runs().size(); i++) {
        LandmarkEvents.Run w = want.runs().get(i);
        LandmarkEvents.Run g = got.runs().get(i);
        assertThat(List.of(g.min(), g.max())).as(as + " run " + i).isEqualTo(List.of(w.min(), w.max()));
        assertThat(answers(alone, g.aggregate())).as(as + " run " + i).isEqualTo(answers(alone, w.aggregate()));
        assertThat(aggregator.encode(g.aggregate())).as(as + " run " + i).isEqualTo(aggregator.encode(w.aggregate()));
      }
      withRuns += want.hasRuns() ? 1 : 0;
    }
    assertThat(expected.keySet()).contains(new ViewKey("segments", "ordered"), new ViewKey("segments", "quiet"),
        new ViewKey("segments", "starts"));
    assertThat(((KeyPartial.Landmark) expected.get(new ViewKey("segments", "ordered"))).events().runs()).hasSize(8); // seven resets
    assertThat(withRuns).as("keys whose runs were kept").isGreaterThanOrEqualTo(3).isLessThan(expected.size());
  }

  /**
   * A task whose input can be read again (a Kafka slice) keeps no landmark events where its runs say them, only the
   * slice; folding the slice's events again with the landmark views alone ({@link SliceRefold}'s fold) gives back
   * exactly the events the task would have kept. A view whose measures do not merge exactly (a sketch) has no runs and
   * keeps its events.
   */
  @Test
  void aTaskReadFromKafkaLeavesItsLandmarkEventsThereAndTheFoldOfItsSliceGivesThemBack() {
    String landmark = "  - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count, mean(x), min(x), max(x)]}\n";
    ViewFold views = new ViewFold(ViewFile.parse("v", ROLLED_UP_VIEWS + landmark));
    io.lambdastack.speed.input.KafkaSlice slice = new io.lambdastack.speed.input.KafkaSlice(1_000,
        List.of(new io.lambdastack.view.kafka.TopicRange("t", 1, 100, 3_100)), "broker:9092");
    List<Event> events = events(13);
    PartitionFold kept = new PartitionFold(views, null);
    PartitionFold leftInKafka = new PartitionFold(views, slice);
    PartitionFold readAgain = PartitionFold.keepingLandmarkEvents(views);
    PartitionFold sketch = new PartitionFold(FOLD, slice); // its landmark view counts distinct(d)
    events.forEach(e -> {
      kept.add("t", e);
      leftInKafka.add("t", e);
      readAgain.add("t", e);
      sketch.add("t", e);
    });
    Map<ViewKey, KeyPartial> keptByKey = asMap(kept.partials());
    Map<ViewKey, KeyPartial> leftByKey = asMap(leftInKafka.partials());
    Map<ViewKey, KeyPartial> againByKey = asMap(readAgain.partials());
    assertThat(againByKey).as("the landmark view's partials only").allSatisfy((k, p) -> assertThat(k.view()).isEqualTo("segments"));
    int unkept = 0;
    for (Map.Entry<ViewKey, KeyPartial> e : keptByKey.entrySet()) {
      if (!e.getKey().view().equals("segments")) {
        assertThat(leftByKey.get(e.getKey())).as(e.getKey().toString()).usingRecursiveComparison().isEqualTo(e.getValue());
        continue;
      }
      LandmarkEvents want = ((KeyPartial.Landmark) e.getValue()).events();
      LandmarkEvents left = ((KeyPartial.Landmark) leftByKey.get(e.getKey())).events();
      LandmarkEvents again = ((KeyPartial.Landmark) againByKey.get(e.getKey())).events();
      String as = e.getKey().toString();
      assertThat(left.size()).as(as).isEqualTo(want.size());
      assertThat(left.hasRuns()).as(as).isEqualTo(want.hasRuns());
      assertThat(left.runs()).as(as).usingRecursiveComparison().isEqualTo(want.runs());
      assertThat(left.unkept()).as(as).containsExactly(slice);
      assertThat(again.unkept()).as(as).isEmpty();
      assertThat(again.sorted()).as(as).isEqualTo(want.sorted());
      assertThat(left.withEventsReadAgain(List.of(again)).sorted()).as(as).isEqualTo(want.sorted());
      unkept++;
    }
    assertThat(unkept).isEqualTo(6); // keys k0-k5
    asMap(sketch.partials()).forEach((k, p) -> {
      if (p instanceof KeyPartial.Landmark l) {
        assertThat(l.events().hasRuns()).as(k.toString()).isFalse();
        assertThat(l.events().unkept()).as(k.toString()).isEmpty();
        assertThat(l.events().sorted()).as(k.toString()).isNotEmpty();
      }
    });
  }

  /**
   * The slice a task names is seen by that task's fold only: the tasks of a later job, on the same two executor threads
   * (Spark reuses them), see none, and a fold outside a task sees none.
   */
  @Test
  void aTasksSliceIsSeenByThatTaskOnly() {
    List<String> seen = spark.parallelize(List.of(0, 1, 2, 3), 4).mapPartitionsWithIndex((task, items) -> {
      io.lambdastack.speed.input.TaskInput.reads(new io.lambdastack.speed.input.KafkaSlice(1_000,
          List.of(new io.lambdastack.view.kafka.TopicRange("t", task, 0, 10)), "broker:9092"));
      return List.of(String.valueOf(io.lambdastack.speed.input.TaskInput.slice())).iterator();
    }, false).collect();
    assertThat(seen).containsExactly("t-0[0..10) at broker:9092", "t-1[0..10) at broker:9092", "t-2[0..10) at broker:9092",
        "t-3[0..10) at broker:9092");

    List<String> later = spark.parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7), 8)
        .mapPartitions(items -> List.of(String.valueOf(io.lambdastack.speed.input.TaskInput.slice())).iterator()).collect();
    assertThat(later).as("tasks that named no slice").containsOnly("null").hasSize(8);
    assertThat(io.lambdastack.speed.input.TaskInput.slice()).as("outside a task").isNull();
  }

  private static Map<ViewKey, KeyPartial> asMap(List<Tuple2<ViewKey, KeyPartial>> partials) {
    Map<ViewKey, KeyPartial> out = new HashMap<>();
    partials.forEach(p -> assertThat(out.put(p._1(), p._2())).as("one partial per (view, key)").isNull());
    return out;
  }

  private static Map<String, Object> answers(ViewFold fold, Aggregate a) {
    Map<String, Object> out = new HashMap<>(fold.aggregator(a.view()).results(a));
    out.put("events", a.events());
    out.put("maxEventTime", a.maxEventTime());
    return out;
  }

  private static void assertBuckets(Map<ViewKey, KeyPartial> byKey, List<Event> events) {
    Map<BucketKey, Aggregate> expected = FOLD.fold("t", events);
    Map<BucketKey, Aggregate> actual = new HashMap<>();
    byKey.forEach((key, partial) -> {
      if (partial instanceof KeyPartial.Buckets b) {
        b.batch().buckets().forEach((start, aggregate) -> actual.put(new BucketKey(key.view(), key.key(), start), aggregate));
      }
    });
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((cell, aggregate) -> assertThat(results(cell.view(), actual.get(cell))).as(cell.toString())
        .isEqualTo(results(cell.view(), aggregate)));
  }

  private static void assertLandmark(LandmarkEvents segment, List<Event> ofKey) {
    assertThat(segment.size()).isEqualTo(ofKey.size());
    List<LandmarkEvents.Marked> sorted = segment.sorted();
    assertThat(sorted).isSortedAccordingTo(LandmarkEvents.ORDER);
    assertThat(sorted.stream().filter(LandmarkEvents.Marked::reset).count())
        .isEqualTo(ofKey.stream().filter(e -> "reset".equals(e.attributes().get("type"))).count());
    ViewAggregator aggregator = FOLD.aggregator("segments");
    Aggregate decoded = aggregator.zero();
    sorted.forEach(m -> aggregator.add(decoded, m.event())); // only the measured fields travel: enough for the measures
    assertThat(aggregator.results(decoded)).isEqualTo(aggregator.results(foldAll("segments", ofKey)));
  }

  private static Aggregate foldAll(String view, List<Event> events) {
    ViewAggregator aggregator = FOLD.aggregator(view);
    Aggregate a = aggregator.zero();
    events.forEach(e -> aggregator.add(a, e));
    return a;
  }

  private static Map<String, Object> results(String view, Aggregate a) {
    Map<String, Object> out = new HashMap<>(FOLD.aggregator(view).results(a));
    out.put("events", a.events());
    out.put("maxEventTime", a.maxEventTime());
    return out;
  }
}
