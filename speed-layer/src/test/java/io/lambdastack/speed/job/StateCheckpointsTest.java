package io.lambdastack.speed.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.DStream;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The states' checkpoint intervals: within 5-10 batches each, no two on one batch before batch 40, and applied
 * to the states of the graph the job builds (read back from the DStreams, not from the constants).
 */
class StateCheckpointsTest {
  @Test
  void intervalsAreFiveToTenBatchesAndRarelyCoincide() {
    for (StateCheckpoints s : StateCheckpoints.values()) {
      assertThat(s.batches()).as(s.name()).isBetween(5, 10);
    }
    assertThat(StateCheckpoints.BUCKETS.batches()).as("open buckets time out on their checkpoint batches: every 10").isEqualTo(10);
    for (int batch = 1; batch < 40; batch++) {
      assertThat(statesCheckpointedOn(batch)).as("states checkpointed on batch %d", batch).isLessThanOrEqualTo(1);
    }
    assertThat(statesCheckpointedOn(40)).isEqualTo(2);
  }

  private static long statesCheckpointedOn(int batch) {
    return Arrays.stream(StateCheckpoints.values()).filter(s -> batch % s.batches() == 0).count();
  }

  /** Every stateful DStream of the graph (two mapWithState for buckets, updateStateByKey, landmark mapWithState, the window). */
  @Test
  void theJobsGraphCheckpointsEachStateOnItsOwnInterval() {
    ViewFold fold = new ViewFold(ViewFile.parse("v", """
        views:
          - {name: temps, source: t, key: [k], bucket: 10s, measures: [count, mean(x)]}
          - {name: totals, kind: running, source: t, key: [k], measures: [count]}
          - {name: window, kind: sliding, source: t, key: [k], window: 10s, slide: 2s, measures: [count]}
          - {name: segments, kind: landmark, source: t, key: [k], reset: type=reset, measures: [count]}
        """));
    JavaStreamingContext ssc = new JavaStreamingContext(new SparkConf().setMaster("local[2]").setAppName("state-checkpoints-test")
        .set("spark.ui.enabled", "false"), Durations.seconds(1));
    try {
      var events = ssc.queueStream(new ConcurrentLinkedQueue<JavaRDD<Tuple2<String, Event>>>()).mapToPair(t -> t);
      SpeedViews.Outputs outputs = SpeedViews.of(events, fold, java.time.Duration.ofSeconds(1), null);
      Map<String, List<Long>> intervals = new java.util.TreeMap<>();
      List<DStream<?>> roots = new ArrayList<>();
      roots.add(outputs.perBatch().dstream());
      outputs.windows().forEach(w -> roots.add(w.dstream()));
      collect(roots, intervals, new IdentityHashMap<>());
      assertThat(intervals).containsOnly(
          Map.entry("InternalMapWithStateDStream", List.of(7_000L, 9_000L, 10_000L)), // landmark, history, open buckets
          Map.entry("StateDStream", List.of(8_000L)), // running totals
          Map.entry("ReducedWindowedDStream", List.of(10_000L))); // the window: every 5 slides
    } finally {
      ssc.stop(true, false);
    }
  }

  /** The checkpoint interval of every DStream that has one, by class, walking the dependencies once each. */
  private static void collect(List<DStream<?>> streams, Map<String, List<Long>> out, IdentityHashMap<DStream<?>, Boolean> seen) {
    for (DStream<?> s : streams) {
      if (seen.put(s, true) != null) {
        continue;
      }
      if (s.checkpointDuration() != null) {
        List<Long> list = out.computeIfAbsent(s.getClass().getSimpleName(), c -> new ArrayList<>());
        list.add(s.checkpointDuration().milliseconds());
        list.sort(null);
      }
      List<DStream<?>> deps = new ArrayList<>();
      scala.collection.JavaConverters.seqAsJavaList(s.dependencies()).forEach(deps::add);
      collect(deps, out, seen);
    }
  }
}
