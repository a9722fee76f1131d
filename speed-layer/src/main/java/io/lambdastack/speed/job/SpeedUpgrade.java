package io.lambdastack.speed.job;

import io.lambdastack.speed.landmark.LandmarkSegment;
import io.lambdastack.speed.landmark.LandmarkStateFunction;
import io.lambdastack.speed.running.RunningTotal;
import io.lambdastack.speed.state.BucketViews;
import io.lambdastack.speed.state.KeyHistory;
import io.lambdastack.speed.state.OpenBuckets;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.update.ViewUpdate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The upgrade path. A Spark Streaming checkpoint holds the serialized job, so it cannot survive a code or
 * view change. Upgrading instead: (1) moves the old checkpoint aside (kept for a rollback), (2) starts from
 * the consumer group's committed offsets, which trail the published outputs, and (3) rebuilds the state from
 * the compacted speed-view topic, which holds the full aggregate of every bucket, total and segment, and hands
 * it to {@code StateSpec.initialState} / {@code updateStateByKey(.., initialRDD)}:
 *
 * <ul>
 *   <li>bucket views: per key, watermark = the latest event time in any of its published buckets (late events
 *       never raise a watermark, so this is exactly the watermark the old state had), open buckets = those with
 *       {@code end + lateness > watermark}, decoded; history = (watermark, last bucket start);
 *   <li>running views: the published total; landmark views: the key's open segment;
 *   <li>sliding views start empty: a window is processing time, "now", and is not rebuilt.
 * </ul>
 *
 * Exact when the old job stopped gracefully (it commits the offsets of every batch it published). After a
 * crash the topic may hold outputs of batches whose offsets were not committed yet: restart the old version
 * once (it recovers from its checkpoint), stop it with SIGTERM, then upgrade.
 */
final class SpeedUpgrade {
  private SpeedUpgrade() {}

  /** Moves the checkpoint to {@code <dir>.before-upgrade-<millis>}; returns where, or null if there was none. */
  static String setCheckpointAside(SpeedLayerSettings settings, Configuration hadoop) {
    Path dir = new Path(settings.checkpointDir());
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      if (!fs.exists(dir)) {
        return null;
      }
      Path aside = new Path(dir.getParent(), dir.getName() + ".before-upgrade-" + System.currentTimeMillis());
      if (!fs.rename(dir, aside)) {
        throw new ConfigException("cannot move the checkpoint " + dir + " aside to " + aside);
      }
      return aside.toString();
    } catch (IOException e) {
      throw new ConfigException("cannot move the checkpoint " + dir + " aside: " + e.getMessage());
    }
  }

  /** The state rebuilt from the topic, as plain lists (turned into RDDs on the new context). */
  record Rebuilt(List<Tuple2<ViewKey, KeyHistory>> history, List<Tuple2<ViewKey, OpenBuckets>> buckets,
      List<Tuple2<ViewKey, RunningTotal>> running, List<Tuple2<ViewKey, LandmarkSegment>> landmarks, long records) {

    SpeedViews.Initial initialState(JavaSparkContext jsc) {
      return new SpeedViews.Initial(new BucketViews.InitialBuckets(jsc.parallelizePairs(history), jsc.parallelizePairs(buckets)),
          jsc.parallelizePairs(running), jsc.parallelizePairs(landmarks));
    }

    String summary() {
      long open = buckets.stream().mapToLong(b -> b._2().open().size()).sum();
      return records + " published records; " + history.size() + " bucket-view keys (" + open + " open buckets), "
          + running.size() + " running totals, " + landmarks.size() + " landmark segments";
    }
  }

  static Rebuilt rebuild(SpeedLayerSettings settings, ViewFold fold) {
    Map<String, ViewUpdate> latest = readCompacted(settings.bootstrapServers(), settings.outputTopic());
    Map<ViewKey, List<ViewUpdate>> perKey = new HashMap<>();
    for (ViewUpdate u : latest.values()) {
      if (settings.views().view(u.view()).isPresent()) {
        perKey.computeIfAbsent(new ViewKey(u.view(), u.key()), k -> new ArrayList<>()).add(u);
      }
    }
    List<Tuple2<ViewKey, KeyHistory>> history = new ArrayList<>();
    List<Tuple2<ViewKey, OpenBuckets>> buckets = new ArrayList<>();
    List<Tuple2<ViewKey, RunningTotal>> running = new ArrayList<>();
    List<Tuple2<ViewKey, LandmarkSegment>> landmarks = new ArrayList<>();
    perKey.forEach((key, updates) -> {
      ViewAggregator aggregator = fold.aggregator(key.view());
      switch (aggregator.view().kind()) {
        case BUCKETS -> {
          long watermark = Long.MIN_VALUE;
          long last = Long.MIN_VALUE;
          Map<Long, Aggregate> decoded = new TreeMap<>();
          for (ViewUpdate u : updates) {
            Aggregate a = decode(aggregator, u);
            decoded.put(u.bucketStart(), a);
            watermark = Math.max(watermark, a.maxEventTime());
            last = Math.max(last, u.bucketStart());
          }
          long w = watermark;
          ViewDefinition v = aggregator.view();
          decoded.keySet().removeIf(start -> start + v.bucketWidthMillis() + v.latenessMillis() <= w);
          history.add(new Tuple2<>(key, new KeyHistory(watermark, last)));
          buckets.add(new Tuple2<>(key, OpenBuckets.rebuilt(watermark, decoded)));
        }
        case RUNNING -> running.add(new Tuple2<>(key, new RunningTotal(decode(aggregator, updates.get(0)), false)));
        case LANDMARK -> updates.stream().filter(u -> Boolean.FALSE.equals(u.measures().get(LandmarkStateFunction.CLOSED)))
            .max(java.util.Comparator.comparingLong(ViewUpdate::bucketStart))
            .ifPresent(u -> landmarks.add(new Tuple2<>(key, new LandmarkSegment(u.bucketStart(), decode(aggregator, u)))));
        case SLIDING -> { } // processing-time windows of "now": not rebuilt
      }
    });
    return new Rebuilt(history, buckets, running, landmarks, latest.size());
  }

  private static Aggregate decode(ViewAggregator aggregator, ViewUpdate u) {
    try {
      return aggregator.decode(u.aggregate());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("view '" + u.view() + "': its published state cannot be read with the new definition ("
          + e.getMessage() + "); a view whose measures change needs a new name (it then starts empty)");
    }
  }

  /** The latest record per record key of the whole compacted topic (what compaction converges to). */
  static Map<String, ViewUpdate> readCompacted(String bootstrap, String topic) {
    return io.lambdastack.view.kafka.CompactedTopic.latest(bootstrap, topic);
  }
}
