package io.lambdastack.speed.job;

import io.lambdastack.speed.metrics.SpeedCounters;
import io.lambdastack.speed.input.EqualSlices;
import io.lambdastack.speed.input.LineInput;
import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.view.config.ConfigException;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewKind;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import io.lambdastack.speed.input.EventParsing;
import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.speed.input.TaskInput;
import io.lambdastack.view.kafka.CommittedRangeReader;
import io.lambdastack.view.kafka.TopicRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/**
 * The speed layer as a Spark Streaming (DStream) job:
 *
 * <pre>
 * Kafka direct stream ─► parse (unparseable: counted, skipped) ─► MicroBatchFold: one pass, one partial per
 *   (view, key) of every kind, one shuffle ─► the kinds' states on the same partitioner (mapWithState,
 *   updateStateByKey, reduceByKeyAndWindow) ─► foreachRDD: upsert full aggregates to the compacted
 *   speed-view topic, then commit the batch's offsets
 * </pre>
 *
 * Offsets and state live in the checkpoint (HDFS); {@link #getOrCreate} recovers from it. Committed offsets
 * trail the outputs, for monitoring and for restarting without a checkpoint.
 */
public final class SpeedLayerJob {
  /**
   * The default cap per Kafka partition, records/s: above what the job can process in all (see {@link #sparkConf}).
   * 500,000 until run 75 of bench/speed-layer.sh, where 2 cores sustained 1,344,000-1,476,000 records/s: the demo's
   * busiest partition (9 of its 20 sensors) then needs up to 664,200, and the old cap held the job under 1,111,000.
   * Runs 77-80 sustained up to 1,845,000 (the busiest partition: 830,250): still under this cap.
   */
  static final long MAX_RATE_PER_PARTITION = 2_000_000;
  /** The smallest slice of a batch's offsets worth a task of its own. */
  static final long MIN_SLICE = 10_000;

  private SpeedLayerJob() {}

  /** A streaming context and whether it was recovered from a checkpoint (else built new). */
  public record Started(JavaStreamingContext context, boolean recovered) {}

  /** Recovers from the checkpoint if there is one, else builds a new context ({@code JavaStreamingContext.getOrCreate}). */
  public static Started getOrCreate(SpeedLayerSettings settings) {
    requireSlidesFit(settings);
    requireSequentialJobs(settings);
    Configuration hadoop = hadoopConf(settings);
    CheckpointFingerprint fingerprint = new CheckpointFingerprint(settings, hadoop);
    fingerprint.requireMatch(); // a checkpoint restores the OLD graph: refuse one made for other views
    OutputLedger.start(settings.groupId());
    java.util.concurrent.atomic.AtomicBoolean created = new java.util.concurrent.atomic.AtomicBoolean();
    JavaStreamingContext ssc;
    try {
      ssc = JavaStreamingContext.getOrCreate(settings.checkpointDir(), () -> {
        created.set(true);
        return create(settings, null);
      }, hadoop, false);
    } catch (Exception e) { // Scala throws SparkException, a checked exception, undeclared
      throw CheckpointFingerprint.unreadable(settings.checkpointDir(), e);
    }
    fingerprint.write();
    ssc.addStreamingListener(new io.lambdastack.speed.metrics.BatchListener()); // listeners are not checkpointed
    return new Started(ssc, !created.get());
  }

  /**
   * The upgrade path (new code or views, old offsets): sets the old checkpoint aside, rebuilds the state from
   * the compacted speed-view topic and starts from the group's committed offsets. See {@link SpeedUpgrade}.
   */
  public static Started upgrade(SpeedLayerSettings settings) {
    requireSlidesFit(settings);
    requireSequentialJobs(settings);
    Configuration hadoop = hadoopConf(settings);
    String setAside = SpeedUpgrade.setCheckpointAside(settings, hadoop);
    OutputLedger.start(settings.groupId());
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf(settings), Durations.milliseconds(settings.batchInterval().toMillis()));
    SpeedUpgrade.Rebuilt rebuilt = SpeedUpgrade.rebuild(settings, new ViewFold(settings.views()));
    build(ssc, settings, rebuilt.initialState(ssc.sparkContext()));
    new CheckpointFingerprint(settings, hadoop).write();
    ssc.addStreamingListener(new io.lambdastack.speed.metrics.BatchListener());
    System.out.println("upgrade: " + (setAside == null ? "no old checkpoint" : "old checkpoint moved to " + setAside)
        + "; state rebuilt from " + settings.outputTopic() + ": " + rebuilt.summary());
    return new Started(ssc, false);
  }

  static JavaStreamingContext create(SpeedLayerSettings settings, SpeedViews.Initial initial) {
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf(settings), Durations.milliseconds(settings.batchInterval().toMillis()));
    build(ssc, settings, initial);
    return ssc;
  }

  private static void build(JavaStreamingContext ssc, SpeedLayerSettings settings, SpeedViews.Initial initial) {
    ssc.checkpoint(settings.checkpointDir());
    ViewFold fold = new ViewFold(settings.views());
    JavaInputDStream<ConsumerRecord<String, byte[]>> kafka = null;
    JavaPairDStream<String, Event> events;
    if (settings.readsKafka()) {
      kafka = KafkaUtils.createDirectStream(ssc, LocationStrategies.PreferConsistent(),
          ConsumerStrategies.<String, byte[]>Subscribe(settings.views().sourceTopics(), kafkaParams(settings)));
      String sourceBootstrap = settings.bootstrapServers();
      String group = settings.groupId();
      events = kafka.transformToPair((rdd, time) -> parse(rdd, time, sourceBootstrap, group));
    } else {
      events = LineInput.events(ssc, settings.input());
    }
    SpeedViews.Outputs outputs = SpeedViews.of(events, fold, settings.batchInterval(), initial);
    SpeedSinks.attach(outputs.perBatch(), settings, true, outputs.partitions()); // first: the bucket views are what latency is about
    for (JavaDStream<KeyOutcome> window : outputs.windows()) {
      SpeedSinks.attach(window, settings, false, outputs.partitions());
    }
    outputs.metrics().forEach(Runnable::run); // state sizes: every 5 batches, after the sinks
    // Last: its offsets commit after every output of the batch, and it fails after a failed one (OutputLedger).
    SpeedSinks.afterOutputs(outputs.perBatch(), kafka, settings.groupId());
  }

  /** A batch's offsets are committed by its last output, after the others: its jobs must run one at a time. */
  static void requireSequentialJobs(SpeedLayerSettings settings) {
    String jobs = settings.sparkConf().get("spark.streaming.concurrentJobs");
    if (jobs != null && !jobs.trim().equals("1")) {
      throw new ConfigException("spark.streaming.concurrentJobs must be 1 (got " + jobs + "): a batch's offsets are committed"
          + " by its last output operation, after the others succeeded, which needs them to run one at a time");
    }
  }

  /** Spark needs a sliding view's window and slide to be multiples of the batch interval: say so in one line. */
  static void requireSlidesFit(SpeedLayerSettings settings) {
    long interval = settings.batchInterval().toMillis();
    for (ViewDefinition v : settings.views().ofKind(ViewKind.SLIDING)) {
      if (v.sliding().slideMillis() % interval != 0) {
        throw new ConfigException("view '" + v.name() + "': slide " + io.lambdastack.view.definition.Durations.format(v.sliding().slide())
            + " must be a multiple of the batch interval " + io.lambdastack.view.definition.Durations.format(settings.batchInterval())
            + " (change slide in the view file or --batch-interval)");
      }
    }
  }

  /** A batch's outputs ran: its offsets committed now (async) and remembered for the commit after a stop, unless an output failed. */
  static void completed(JavaInputDStream<ConsumerRecord<String, byte[]>> kafka, String group, long batchTime) {
    OffsetRange[] done = OutputLedger.of(group).outputsDone(batchTime);
    if (done.length > 0) {
      ((CanCommitOffsets) kafka.inputDStream()).commitAsync(done);
    }
  }

  /**
   * Commits, synchronously, the offsets of every batch whose outputs completed. {@code commitAsync} only
   * queues a commit that the next batch performs, so without this the last batch before a graceful stop
   * stays uncommitted (SPARK-20050). Call after {@code stop(.., true)}: the group then has no members.
   */
  public static Map<org.apache.kafka.common.TopicPartition, Long> commitCompleted(SpeedLayerSettings settings) {
    Map<org.apache.kafka.common.TopicPartition, Long> offsets = new java.util.HashMap<>(OutputLedger.of(settings.groupId()).completed());
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
   * The batch's records, parsed. Only the offset ranges of Spark's KafkaRDD are used: the records are read by
   * {@link CommittedRangeReader}, which handles transactional topics (see there).
   */
  private static JavaPairRDD<String, Event> parse(JavaRDD<ConsumerRecord<String, byte[]>> batch, Time time, String bootstrap,
      String group) {
    OffsetRange[] ranges = ((HasOffsetRanges) batch.rdd()).offsetRanges();
    OutputLedger.of(group).generated(time.milliseconds(), ranges);
    SpeedCounters counters = SpeedCounters.get(batch.context());
    LongAccumulator events = counters.events;
    LongAccumulator unparseable = counters.unparseable;
    List<TopicRange> topicRanges = java.util.Arrays.stream(ranges)
        .map(r -> new TopicRange(r.topic(), r.partition(), r.fromOffset(), r.untilOffset())).toList();
    // About two equal tasks per core, so every core has work until the end of the read and fold (EqualSlices).
    List<List<TopicRange>> tasks = CommittedRangeReader.nonEmpty(
        EqualSlices.of(topicRanges, 2 * batch.context().defaultParallelism(), MIN_SLICE));
    // Each task names its slice (TaskInput), so that a landmark view can leave its events in Kafka (KafkaSlice).
    long batchTime = time.milliseconds();
    return JavaPairRDD.fromJavaRDD(CommittedRangeReader.readGroups(JavaSparkContext.fromSparkContext(batch.context()), tasks, bootstrap,
        (slice, records) -> {
          TaskInput.reads(new KafkaSlice(batchTime, slice, bootstrap));
          return EventParsing.parseRecords(records, events, unparseable);
        }));
  }

  static SparkConf sparkConf(SpeedLayerSettings settings) {
    SparkConf conf = new SparkConf().setAppName("lambda-speed-layer").setIfMissing("spark.master", "local[*]")
        // How long a graceful stop waits for queued batches (default 10 x the interval); the rest is redone
        // from the checkpoint, so a short wait loses nothing.
        .setIfMissing("spark.streaming.gracefulStopTimeout", "5s")
        // Backpressure: Spark's PID estimator sizes each batch to what the last ones processed in time, from
        // initialRate at the start (a restart after downtime no longer floods the first batch). A 2-core machine
        // sustains 2.6 x 10^5-1.85 x 10^6 events/s of the default views (bench/speed-layer.sh; machines of this kind differ), so the first batches may
        // take 2 x 10^5 (0.15-0.7 s of work): an initial rate below the live rate starts the job behind, and the
        // estimator's reaction to the catch-up batches was seen to swing batch sizes for 20 s.
        .setIfMissing("spark.streaming.backpressure.enabled", "true")
        .setIfMissing("spark.streaming.backpressure.initialRate", "200000")
        // maxRatePerPartition only caps what the estimator allows, and it caps EACH partition: keys spread unevenly
        // (20 sensors hash 4/9/7 onto 3 partitions), so one partition can carry half the load or, with one hot key,
        // all of it. A cap below that partition's share means its lag can only grow: at 100,000 it was, at 230,000
        // events/s (103,600 on the busiest partition), and the latency grew by seconds a minute. The estimator
        // splits its rate by lag, so the cap is the job's whole capacity: it never binds below what the job can do.
        .setIfMissing("spark.streaming.kafka.maxRatePerPartition", Long.toString(MAX_RATE_PER_PARTITION));
    settings.sparkConf().forEach(conf::set);
    // Local mode offers its cores again only when a task ends: a task that waits for locality (after a recovery,
    // the checkpointed state prefers the HDFS hosts of its blocks) can wait for ever once the other tasks of its
    // stage are done, and the batch never ends. With one executor, locality gains nothing anyway.
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.locality.wait", "0s");
      // In local mode the shuffle never leaves the machine: its files stay in the page cache, and compressing them
      // only costs CPU. Profiled at 1,476,000 records/s, decompressing the shuffle (then mostly the landmark views'
      // events, which a Kafka task no longer ships: LandmarkEvents) took 4.6 % of the executor's CPU: this build's LZ4
      // reads with its pure-Java decompressor. On a cluster Spark's default (compressed) stays.
      conf.setIfMissing("spark.shuffle.compress", "false");
    }
    return conf;
  }

  /** Hadoop settings for reading the checkpoint: the {@code spark.hadoop.*} entries, as Spark itself does. */
  static Configuration hadoopConf(SpeedLayerSettings settings) {
    return io.lambdastack.view.spark.SparkHadoopConf.of(settings.sparkConf());
  }

  static Map<String, Object> kafkaParams(SpeedLayerSettings settings) {
    return kafkaParams(settings.bootstrapServers(), settings.groupId());
  }

  /** The direct stream's consumer settings, for any job that reads a source topic as this one does. */
  public static Map<String, Object> kafkaParams(String bootstrapServers, String groupId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Only records of committed transactions: an aborted validator transaction must never reach a view.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }
}
