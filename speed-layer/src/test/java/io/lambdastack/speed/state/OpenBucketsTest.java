package io.lambdastack.speed.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lateness, eviction and immutability of the speed layer's per-key state, without Spark. */
class OpenBucketsTest {
  // 10 s buckets, 5 s lateness.
  final ViewFold fold = new ViewFold(ViewFile.parse("t", """
      views:
        - name: v
          source: t
          key: [k]
          bucket: 10s
          lateness: 5s
          measures: [count, sum(x)]
      """));
  final ViewAggregator aggregator = fold.aggregator("v");

  KeyBatch batch(long... times) {
    KeyBatch b = new KeyBatch();
    for (Map.Entry<io.lambdastack.view.aggregate.BucketKey, Aggregate> e : fold.fold("t", events(times)).entrySet()) {
      KeyBatch.merge(b, KeyBatch.of(e.getKey().bucketStart(), e.getValue()), fold);
    }
    return b;
  }

  static List<Event> events(long... times) {
    return java.util.Arrays.stream(times).mapToObj(t -> new Event("e" + t, t, Map.of("k", "a"), Map.of("x", 1.0))).toList();
  }

  @Test
  void outOfOrderWithinLatenessIsApplied() {
    OpenBuckets.Outcome first = OpenBuckets.empty().apply(batch(12_000, 21_000), aggregator);
    assertThat(first.state().watermark()).isEqualTo(21_000);
    // 19 s belongs to [10 s, 20 s): it closes at 20 + 5 = 25 s > watermark 21 s: still open.
    OpenBuckets.Outcome second = first.state().apply(batch(19_000), aggregator);
    assertThat(second.lateEvents()).isZero();
    assertThat(second.updated()).singleElement().satisfies(b -> {
      assertThat(b.bucketStart()).isEqualTo(10_000);
      assertThat(aggregator.results(b.aggregate())).containsEntry("count", 2L).containsEntry("sum_x", 2.0);
    });
  }

  @Test
  void eventsForAClosedBucketAreLateAndNotApplied() {
    OpenBuckets s = OpenBuckets.empty().apply(batch(12_000), aggregator).state();
    s = s.apply(batch(35_000), aggregator).state(); // watermark 35 s: [10 s, 20 s) closed at 25 s
    assertThat(s.open()).containsOnlyKeys(30_000L);
    OpenBuckets.Outcome late = s.apply(batch(11_000, 14_000, 31_000), aggregator);
    assertThat(late.lateEvents()).isEqualTo(2);
    assertThat(late.updated()).extracting(OpenBuckets.BucketResult::bucketStart).containsExactly(30_000L);
  }

  @Test
  void latenessIsJudgedAgainstTheWatermarkBeforeTheBatch() {
    // In one batch: 12 s and 40 s. 40 s would close [10 s, 20 s), but the batch is judged as a whole.
    OpenBuckets.Outcome o = OpenBuckets.empty().apply(batch(40_000, 12_000), aggregator);
    assertThat(o.lateEvents()).isZero();
    assertThat(o.updated()).extracting(OpenBuckets.BucketResult::bucketStart).containsExactly(10_000L, 40_000L);
    assertThat(o.state().open()).containsOnlyKeys(40_000L); // [10 s, 20 s) published, then closed
  }

  @Test
  void applyNeverModifiesThePreviousState() {
    OpenBuckets before = OpenBuckets.empty().apply(batch(12_000), aggregator).state();
    Aggregate stored = before.open().get(10_000L);
    before.apply(batch(13_000, 14_000), aggregator);
    before.apply(batch(13_000, 14_000), aggregator); // a recomputed batch
    assertThat(aggregator.results(stored)).containsEntry("count", 1L);
    assertThat(aggregator.results(before.apply(batch(13_000), aggregator).updated().get(0).aggregate())).containsEntry("count", 2L);
  }

  @Test
  void aKeyResumedFromItsHistoryTreatsEveryBucketItMayHavePublishedAsClosed() {
    // The key published [10s, 20s) (open until 25 s) and timed out with watermark 12 s; it returns with events
    // for that bucket and the next: the first must not overwrite the published full aggregate with a partial.
    KeyHistory history = KeyHistory.none().after(batch(12_000));
    assertThat(history).isEqualTo(new KeyHistory(12_000, 10_000));
    OpenBuckets.Outcome o = BucketStateFunction.fresh(history).apply(batch(13_000, 21_000), aggregator);
    assertThat(o.lateEvents()).isEqualTo(1);
    assertThat(o.updated()).extracting(OpenBuckets.BucketResult::bucketStart).containsExactly(20_000L);
    assertThat(o.state().watermark()).isEqualTo(21_000);
    assertThat(BucketStateFunction.fresh(null).apply(batch(13_000), aggregator).lateEvents()).as("a new key").isZero();
  }
}
