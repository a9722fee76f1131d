package io.lambdastack.speed.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lambdastack.speed.input.EventParsing;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.BucketKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/**
 * The speed layer's per-batch path on Spark Streaming's {@code queueStream}: each queued RDD is one
 * micro-batch of JSON lines, parsed as the job parses them (a bad line counted, not failing the batch) and
 * folded by {@link MicroBatchFold}; every batch's partials equal the shared fold of exactly that batch's
 * events. Stateful views need checkpointing, which Spark refuses for a queueStream, so the states are proven on
 * the real broker (SpeedViewKindsIT); this drives the per-batch core with batches chosen by the test.
 */
class QueueStreamFoldTest {
  static final ViewFold FOLD = new ViewFold(ViewFile.parse("v", """
      views:
        - {name: temps, source: readings, key: [sensor], bucket: 10s, measures: [count, mean(t), max(t)]}
      """));

  @Test
  void everyQueuedBatchIsFoldedOnItsOwn() throws Exception {
    List<List<Event>> batches = List.of(events(0, 40), events(40, 25), events(65, 60));
    JavaStreamingContext ssc = new JavaStreamingContext(new SparkConf().setMaster("local[2]").setAppName("queue-stream-fold-test")
        .set("spark.ui.enabled", "false"), Durations.milliseconds(300));
    try {
      Queue<JavaRDD<String>> queue = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < batches.size(); i++) {
        List<String> lines = new ArrayList<>(batches.get(i).stream()
            .map(e -> new String(EventJson.toBytes(e), StandardCharsets.UTF_8)).toList());
        if (i == 1) {
          lines.add("{not json"); // counted as unparseable; the batch goes on
        }
        queue.add(ssc.sparkContext().parallelize(lines, 2));
      }
      LongAccumulator parsed = ssc.sparkContext().sc().longAccumulator("events");
      LongAccumulator unparseable = ssc.sparkContext().sc().longAccumulator("unparseable");
      HashPartitioner partitioner = new HashPartitioner(2);
      Queue<Map<ViewKey, KeyPartial>> folded = new ConcurrentLinkedQueue<>();
      ssc.queueStream(queue, true)
          .flatMapToPair(line -> EventParsing.parse("readings", line.getBytes(StandardCharsets.UTF_8), parsed, unparseable))
          .transformToPair(rdd -> MicroBatchFold.of(rdd, FOLD, partitioner))
          .foreachRDD(rdd -> {
            if (!rdd.isEmpty()) {
              folded.add(new java.util.HashMap<>(rdd.collectAsMap()));
            }
          });
      ssc.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> folded.size() == batches.size());

      List<Map<ViewKey, KeyPartial>> results = new ArrayList<>(folded);
      for (int i = 0; i < batches.size(); i++) {
        Map<BucketKey, Object> expected = new java.util.HashMap<>();
        FOLD.fold("readings", batches.get(i)).forEach((cell, a) -> expected.put(cell, FOLD.aggregator("temps").results(a)));
        Map<BucketKey, Object> actual = new java.util.HashMap<>();
        results.get(i).forEach((key, partial) -> ((KeyPartial.Buckets) partial).batch().buckets().forEach((start, a) ->
            actual.put(new BucketKey(key.view(), key.key(), start), FOLD.aggregator("temps").results(a))));
        assertThat(actual).as("batch " + i).isEqualTo(expected);
      }
      assertThat(parsed.value()).isEqualTo(125);
      assertThat(unparseable.value()).isEqualTo(1);
    } finally {
      ssc.stop(true, false);
    }
  }

  static List<Event> events(int from, int n) {
    List<Event> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(new Event("e" + i, 1_700_000_000_000L + i * 700L, Map.of("sensor", "s" + (i % 3)), Map.of("t", 20 + (i % 7) * 0.25)));
    }
    return out;
  }
}
