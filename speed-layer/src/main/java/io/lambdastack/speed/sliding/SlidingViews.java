package io.lambdastack.speed.sliding;

import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.update.ViewUpdate;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * Sliding views ("hashtags of the last 10 minutes"): per key, {@code reduceByKeyAndWindow} WITH an inverse
 * function over processing-time windows (window and slide from the view file), so each slide adds the batches
 * that enter and subtracts those that leave instead of re-reducing the whole window; keys whose window became
 * empty are dropped by the filter function. Needs checkpointing (the window's previous value is state).
 *
 * <p>Each slide publishes one upsert per key present in the window, keyed (view, key, windowStart) with
 * {@code [windowEnd - window, windowEnd)} as its span, so a key's served "buckets" are its window series; and,
 * with {@code top: K}, the ranking of the window under the reserved key {@value #TOP_KEY}, answer {@code top}.
 */
public final class SlidingViews {
  public static final String TOP_KEY = "*";
  /** How many slides between checkpoints of a window's state (the 5-10x the slide). */
  static final int CHECKPOINT_SLIDES = 5;

  private SlidingViews() {}

  /**
   * The view's windows and their outcomes.
   *
   * @param batches     each key's sums of the batch, partitioned by {@code partitioner}
   * @param partitioner the windows' partitioning: the batches' own, so adding and subtracting batches needs no shuffle
   */
  public static JavaDStream<KeyOutcome> of(JavaPairDStream<ViewKey, WindowSums> batches, ViewDefinition view, Partitioner partitioner) {
    JavaPairDStream<ViewKey, WindowSums> windows = windows(batches, view, partitioner);
    return windows.transform((rdd, time) -> outcomes(rdd, time, view));
  }

  public static JavaPairDStream<ViewKey, WindowSums> windows(JavaPairDStream<ViewKey, WindowSums> batches, ViewDefinition view,
      Partitioner partitioner) {
    long slide = view.sliding().slideMillis();
    JavaPairDStream<ViewKey, WindowSums> windows = batches
        .reduceByKeyAndWindow(WindowSums::plus, WindowSums::minus,
            Durations.milliseconds(view.sliding().windowMillis()), Durations.milliseconds(slide),
            partitioner, kv -> !kv._2().isEmpty());
    windows.checkpoint(Durations.milliseconds(slide * CHECKPOINT_SLIDES));
    return windows;
  }

  private static JavaRDD<KeyOutcome> outcomes(JavaPairRDD<ViewKey, WindowSums> window, Time time, ViewDefinition view) {
    long end = time.milliseconds();
    long start = end - view.sliding().windowMillis();
    JavaRDD<KeyOutcome> perKey = window.map(kv -> outcome(kv._1().view(), kv._1().key(), start, end, kv._2().events(),
        kv._2().results(view)));
    int top = view.sliding().top();
    if (top == 0) {
      return perKey;
    }
    JavaRDD<KeyOutcome> ranking = window
        .mapToPair(kv -> new Tuple2<>(TOP_KEY, TopKeys.of(top, new TopKeys.Entry(kv._1().key(), kv._2().events(),
            kv._2().results(view)))))
        .reduceByKey(TopKeys::merge, 1)
        .map(t -> outcome(view.name(), TOP_KEY, start, end, t._2().entries().stream().mapToLong(TopKeys.Entry::events).sum(),
            Map.of("top", t._2().ranking())));
    return perKey.union(ranking);
  }

  private static KeyOutcome outcome(String view, String key, long start, long end, long events, Map<String, Object> measures) {
    // A window is not merged with anything (it is no event-time bucket): no encoded state travels with it.
    ViewUpdate u = new ViewUpdate(view, key, start, end, events, measures, new byte[0], "speed", 0);
    return new KeyOutcome(new ViewKey(view, key), List.of(u), 0);
  }
}
