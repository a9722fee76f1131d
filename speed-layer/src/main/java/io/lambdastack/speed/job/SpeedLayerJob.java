package io.lambdastack.speed.job;

import io.lambdastack.speed.metrics.CountsByName;
import io.lambdastack.speed.metrics.SpeedCounters;
import io.lambdastack.speed.metrics.SpeedStatus;
import io.lambdastack.speed.output.ViewUpdatePublisher;
import io.lambdastack.speed.state.BucketStateFunction;
import io.lambdastack.speed.state.KeyBatch;
import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import io.lambdastack.view.kafka.CommittedRangeReader;
import io.lambdastack.view.kafka.TopicRange;
import io.lambdastack.view.spark.RddViewFold;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The speed layer as a Spark Streaming (DStream) job:
 *
 * <pre>
 * Kafka direct stream ─► parse (unparseable: counted, skipped) ─► RddViewFold (the shared fold) per batch
 *   ─► (view, key) → KeyBatch ─► mapWithState(OpenBuckets) ─► foreachRDD: upsert full aggregates to the
 *   compacted speed-view topic, then commit the batch's offsets
 * </pre>
 *
 * Offsets and state live in the checkpoint (HDFS); {@link #getOrCreate} recovers from it. Committed offsets
 * trail the outputs, for monitoring and for restarting without a checkpoint.
 */
public final class SpeedLayerJob {
  /** Offset ranges of each batch, remembered when the batch is generated and committed after its outputs. */
  private static final Map<Long, OffsetRange[]> BATCH_OFFSETS = new ConcurrentHashMap<>();
  /** The end of the last batch whose outputs completed, per partition: what a graceful stop commits. */
  private static final Map<org.apache.kafka.common.TopicPartition, Long> COMPLETED = new ConcurrentHashMap<>();

  private SpeedLayerJob() {}

  /** A streaming context and whether it was recovered from a checkpoint (else built new). */
  public record Started(JavaStreamingContext context, boolean recovered) {}

  /** Recovers from the checkpoint if there is one, else builds a new context ({@code JavaStreamingContext.getOrCreate}). */
  public static Started getOrCreate(SpeedLayerSettings settings) {
    Configuration hadoop = hadoopConf(settings);
    CheckpointFingerprint fingerprint = new CheckpointFingerprint(settings, hadoop);
    fingerprint.requireMatch(); // a checkpoint restores the OLD graph: refuse one made for other views
    java.util.concurrent.atomic.AtomicBoolean created = new java.util.concurrent.atomic.AtomicBoolean();
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(settings.checkpointDir(), () -> {
      created.set(true);
      return create(settings);
    }, hadoop, false);
    fingerprint.write();
    ssc.addStreamingListener(new io.lambdastack.speed.metrics.BatchListener()); // listeners are not checkpointed
    return new Started(ssc, !created.get());
  }

  static JavaStreamingContext create(SpeedLayerSettings settings) {
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf(settings), Durations.milliseconds(settings.batchInterval().toMillis()));
    ssc.checkpoint(settings.checkpointDir());
    JavaInputDStream<ConsumerRecord<String, byte[]>> kafka = KafkaUtils.createDirectStream(ssc,
        LocationStrategies.PreferConsistent(),
        ConsumerStrategies.<String, byte[]>Subscribe(settings.views().sourceTopics(), kafkaParams(settings)));
    ViewFold fold = new ViewFold(settings.views());
    String sourceBootstrap = settings.bootstrapServers();
    JavaPairDStream<String, Event> events = kafka.transformToPair((rdd, time) -> parse(rdd, time, sourceBootstrap));
    JavaDStream<KeyOutcome> outcomes = views(events, fold);
    String bootstrap = settings.bootstrapServers();
    String topic = settings.outputTopic();
    outcomes.foreachRDD((rdd, time) -> {
      SpeedCounters counters = SpeedCounters.get(rdd.context());
      CountsByName late = counters.latePerView; // capture the accumulator, not its (driver-only) holder
      rdd.foreachPartition(p -> ViewUpdatePublisher.publish(p, fold, bootstrap, topic, time.milliseconds(), late));
      OffsetRange[] done = BATCH_OFFSETS.remove(time.milliseconds());
      if (done != null) {
        ((CanCommitOffsets) kafka.inputDStream()).commitAsync(done);
        for (OffsetRange r : done) {
          COMPLETED.merge(r.topicPartition(), r.untilOffset(), Math::max);
        }
      }
      SpeedStatus.record(time.milliseconds(), counters);
    });
    return ssc;
  }

  /**
   * Commits, synchronously, the offsets of every batch whose outputs completed. {@code commitAsync} only
   * queues a commit that the next batch performs, so without this the last batch before a graceful stop
   * stays uncommitted (SPARK-20050). Call after {@code stop(.., true)}: the group then has no members.
   */
  public static Map<org.apache.kafka.common.TopicPartition, Long> commitCompleted(SpeedLayerSettings settings) {
    Map<org.apache.kafka.common.TopicPartition, Long> offsets = new java.util.HashMap<>(COMPLETED);
    offsets.keySet().removeIf(tp -> !settings.views().sourceTopics().contains(tp.topic())); // this job's topics only
    if (offsets.isEmpty()) {
      return offsets;
    }
    Map<String, Object> p = new HashMap<>(kafkaParams(settings));
    try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p)) {
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> commit = new java.util.HashMap<>();
      offsets.forEach((tp, offset) -> commit.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset)));
      consumer.commitSync(commit, java.time.Duration.ofSeconds(5)); // bounded: a stop must end within its deadline
    }
    return offsets;
  }

  /**
   * The views of a stream of (topic, event): the testable core, independent of the source (Kafka, a queue
   * stream in tests, a socket or a directory).
   */
  public static JavaDStream<KeyOutcome> views(JavaPairDStream<String, Event> events, ViewFold fold) {
    JavaPairDStream<ViewKey, KeyBatch> keyBatches = events.transformToPair(rdd -> keyBatches(rdd, fold));
    return keyBatches.mapWithState(StateSpec.function(new BucketStateFunction(fold)));
  }

  static JavaPairRDD<ViewKey, KeyBatch> keyBatches(JavaPairRDD<String, Event> events, ViewFold fold) {
    return RddViewFold.partials(events, fold)
        .mapToPair(cell -> new Tuple2<>(new ViewKey(cell._1().view(), cell._1().key()),
            KeyBatch.of(cell._1().bucketStart(), cell._2())))
        .reduceByKey((a, b) -> KeyBatch.merge(a, b, fold));
  }

  /**
   * The batch's records, parsed. Only the offset ranges of Spark's KafkaRDD are used: the records are read by
   * {@link CommittedRangeReader}, which handles transactional topics (see there).
   */
  private static JavaPairRDD<String, Event> parse(JavaRDD<ConsumerRecord<String, byte[]>> batch, Time time, String bootstrap) {
    OffsetRange[] ranges = ((HasOffsetRanges) batch.rdd()).offsetRanges();
    BATCH_OFFSETS.put(time.milliseconds(), ranges);
    SpeedCounters counters = SpeedCounters.get(batch.context());
    LongAccumulator events = counters.events;
    LongAccumulator unparseable = counters.unparseable;
    List<TopicRange> topicRanges = java.util.Arrays.stream(ranges)
        .map(r -> new TopicRange(r.topic(), r.partition(), r.fromOffset(), r.untilOffset())).toList();
    return CommittedRangeReader.read(JavaSparkContext.fromSparkContext(batch.context()), topicRanges, bootstrap)
        .flatMapToPair(r -> parseOne(r._1(), r._2(), events, unparseable));
  }

  private static Iterator<Tuple2<String, Event>> parseOne(String topic, byte[] value, LongAccumulator events,
      LongAccumulator unparseable) {
    try {
      Event event = EventJson.parse(value);
      events.add(1);
      return List.of(new Tuple2<>(topic, event)).iterator();
    } catch (EventFormatException | RuntimeException e) {
      // Never fail a micro-batch on bad input: count it and go on (the validator dead-letters it upstream).
      unparseable.add(1);
      return Collections.emptyIterator();
    }
  }

  static SparkConf sparkConf(SpeedLayerSettings settings) {
    SparkConf conf = new SparkConf().setAppName("lambda-speed-layer").setIfMissing("spark.master", "local[*]")
        // How long a graceful stop waits for queued batches (default 10 x the interval); the rest is redone
        // from the checkpoint, so a short wait loses nothing.
        .setIfMissing("spark.streaming.gracefulStopTimeout", "5s");
    settings.sparkConf().forEach(conf::set);
    return conf;
  }

  /** Hadoop settings for reading the checkpoint: the {@code spark.hadoop.*} entries, as Spark itself does. */
  static Configuration hadoopConf(SpeedLayerSettings settings) {
    Configuration conf = new Configuration();
    settings.sparkConf().forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) {
        conf.set(k.substring("spark.hadoop.".length()), v);
      }
    });
    return conf;
  }

  static Map<String, Object> kafkaParams(SpeedLayerSettings settings) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Only records of committed transactions: an aborted validator transaction must never reach a view.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }
}
