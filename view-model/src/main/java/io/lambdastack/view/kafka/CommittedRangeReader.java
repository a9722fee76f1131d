package io.lambdastack.view.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Reads Kafka offset ranges, committed records only: the speed layer's micro-batches and the archiver's
 * runs. Spark's DStream Kafka iterator cannot read a topic written with transactions (our exactly-once validator's clean topic): a transaction marker takes the
 * last offset of a range, the iterator waits for a record at or after it, and when no newer data comes the
 * task fails after {@code poll.ms}. This reader ends a range when the consumer's position, which moves past
 * markers and aborted records, reaches the range's end. The ranges themselves still come from the direct
 * stream, so checkpointing, recovery and offset commits are Spark's own.
 */
public final class CommittedRangeReader {
  static final Duration RANGE_TIMEOUT = Duration.ofMinutes(2);

  private CommittedRangeReader() {}

  /** What one task makes of its group of ranges (without empty ones) and the group's committed records, in the order read. */
  public interface GroupReader<T> extends java.io.Serializable {
    java.util.Iterator<T> read(List<TopicRange> group, java.util.Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records);
  }

  /**
   * One Spark partition per group of ranges, read one after the other, each task handing every committed record of its
   * group, as the consumer gave it, to {@code each}. Lets a caller size its tasks by records rather than by partitions
   * (the speed layer's micro-batches). The records stream: each poll's records reach the caller's next step (parsing,
   * folding) while their bytes are still in the CPU's caches, and no task holds its whole share of a batch in memory.
   * A value is the record's own bytes as the consumer fetched them (Kafka's {@code ByteBufferDeserializer} copies
   * nothing): for the next step of the same task to read, not to keep (a buffer is no Spark record to cache or
   * shuffle). The caller reads each record's topic and value itself: no pair is made a record, and no Spark iterator
   * sits between the consumer and that step. Partition i reads group i of {@link #nonEmpty}; without any, one partition
   * reads nothing.
   */
  public static <T> org.apache.spark.api.java.JavaRDD<T> readGroups(JavaSparkContext jsc, List<List<TopicRange>> groups,
      String bootstrapServers, GroupReader<T> each) {
    List<List<TopicRange>> nonEmpty = nonEmpty(groups);
    return jsc.parallelize(nonEmpty, Math.max(1, nonEmpty.size())).mapPartitionsWithIndex((index, partition) -> {
      if (!partition.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      List<TopicRange> group = partition.next();
      if (partition.hasNext()) { // parallelize cuts n elements into n slices of one: a second would go unread
        throw new IllegalStateException("partition " + index + " of " + nonEmpty.size() + " holds more than one group of ranges");
      }
      return each.read(group, new GroupRecords(group, bootstrapServers));
    }, true);
  }

  /**
   * The groups without their empty ranges, and without the groups left empty: partition i of {@link #readGroups}
   * reads group i of this list.
   */
  public static List<List<TopicRange>> nonEmpty(List<List<TopicRange>> groups) {
    return groups.stream().map(g -> g.stream().filter(r -> !r.isEmpty()).toList()).filter(g -> !g.isEmpty()).toList();
  }

  /** Every committed record of the group's ranges, read as a partition of {@link #readGroups} reads them. */
  public static java.util.Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records(List<TopicRange> group, String bootstrapServers) {
    return new GroupRecords(group, bootstrapServers);
  }

  /** The committed records of a group's ranges, one range after the other. */
  private static final class GroupRecords implements java.util.Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> {
    private final java.util.Iterator<TopicRange> ranges;
    private final String bootstrapServers;
    private RangeRecords current;

    GroupRecords(List<TopicRange> group, String bootstrapServers) {
      this.ranges = group.iterator();
      this.bootstrapServers = bootstrapServers;
    }

    @Override
    public boolean hasNext() {
      while (current == null || !current.hasNext()) {
        if (!ranges.hasNext()) {
          return false;
        }
        current = new RangeRecords(ranges.next(), bootstrapServers);
      }
      return true;
    }

    @Override
    public ConsumerRecord<ByteBuffer, ByteBuffer> next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return current.next();
    }
  }

  /** A committed record: where it is in the log, its timestamp and its bytes. */
  public record Committed(String topic, int partition, long offset, long timestamp, byte[] value)
      implements java.io.Serializable {}

  /** Every committed record of the range, in offset order. */
  public static List<Committed> readRange(TopicRange range, String bootstrapServers) {
    List<Committed> out = new ArrayList<>();
    RangeRecords records = new RangeRecords(range, bootstrapServers);
    while (records.hasNext()) {
      ConsumerRecord<ByteBuffer, ByteBuffer> r = records.next();
      out.add(new Committed(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value() == null ? null : Utils.toArray(r.value()))); // a tombstone's null stays null
    }
    return out;
  }

  /**
   * The committed records of one range, polled as they are asked for. A pooled consumer is borrowed at the first
   * poll and given back as soon as the consumer's position reaches the range's end (the last poll's records are
   * already in hand); on an error it is closed. A task that stops early (killed, failed downstream) closes it
   * when the task completes, so no consumer leaks.
   */
  static final class RangeRecords implements java.util.Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> {
    private final TopicRange range;
    private final TopicPartition tp;
    private final String bootstrapServers;
    private KafkaConsumer<ByteBuffer, ByteBuffer> consumer;
    private java.util.Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> polled = java.util.Collections.emptyIterator();
    private ConsumerRecord<ByteBuffer, ByteBuffer> next;
    private boolean finished;
    private long deadline;

    RangeRecords(TopicRange range, String bootstrapServers) {
      this.range = range;
      this.tp = range.topicPartition();
      this.bootstrapServers = bootstrapServers;
      this.finished = range.isEmpty();
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (polled.hasNext()) {
          ConsumerRecord<ByteBuffer, ByteBuffer> r = polled.next();
          if (r.offset() < range.until()) {
            next = r;
          }
        } else if (finished) {
          return false;
        } else {
          poll();
        }
      }
      return true;
    }

    @Override
    public ConsumerRecord<ByteBuffer, ByteBuffer> next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      ConsumerRecord<ByteBuffer, ByteBuffer> r = next;
      next = null;
      return r;
    }

    private void poll() {
      boolean healthy = false;
      try {
        if (consumer == null) {
          open();
        }
        if (consumer.position(tp) >= range.until()) {
          finished = true;
        } else {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("reading " + tp + " offsets " + range.from() + ".." + range.until()
                + " did not finish within " + RANGE_TIMEOUT + " (at " + consumer.position(tp) + ")");
          }
          polled = consumer.poll(Duration.ofMillis(500)).records(tp).iterator();
          finished = consumer.position(tp) >= range.until();
        }
        healthy = true;
      } finally {
        if (finished || !healthy) {
          release(healthy);
        }
      }
    }

    private void open() {
      consumer = borrow(bootstrapServers);
      consumer.assign(List.of(tp));
      consumer.seek(tp, range.from());
      deadline = System.nanoTime() + RANGE_TIMEOUT.toNanos();
      org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> release(false)); // a no-op once given back
      }
    }

    private void release(boolean healthy) {
      KafkaConsumer<ByteBuffer, ByteBuffer> c = consumer;
      if (c != null) {
        consumer = null;
        finished = true;
        giveBack(bootstrapServers, c, healthy);
      }
    }
  }

  /**
   * Idle consumers per cluster, kept in the executor JVM between micro-batches: connecting and fetching
   * metadata is a fixed cost a 1 s batch cannot afford per range (Spark's Kafka source caches its consumers
   * the same way). A consumer serves one range at a time; concurrent ranges take different consumers.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.ConcurrentLinkedQueue<KafkaConsumer<ByteBuffer, ByteBuffer>>> IDLE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static KafkaConsumer<ByteBuffer, ByteBuffer> borrow(String bootstrapServers) {
    KafkaConsumer<ByteBuffer, ByteBuffer> idle = IDLE.computeIfAbsent(bootstrapServers, b -> new java.util.concurrent.ConcurrentLinkedQueue<>()).poll();
    return idle != null ? idle : new KafkaConsumer<>(config(bootstrapServers), new ByteBufferDeserializer(), new ByteBufferDeserializer());
  }

  private static void giveBack(String bootstrapServers, KafkaConsumer<ByteBuffer, ByteBuffer> consumer, boolean healthy) {
    java.util.concurrent.ConcurrentLinkedQueue<KafkaConsumer<ByteBuffer, ByteBuffer>> idle = IDLE.get(bootstrapServers);
    if (healthy && idle.size() < 8) {
      consumer.assign(List.of()); // no fetches for a partition nobody reads
      idle.offer(consumer);
    } else {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private static Properties config(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"); // a range deleted by retention is an error, not a silent skip
    // So that a poll's records are parsed while still in the CPU's caches: 500 records of about 300 bytes each with
    // their objects, where 5,000 made 1.5 MB. Measured, no clear gain either way: 4-8 % less CPU a record reading and
    // parsing in a harness of two readers outside Spark, about its rounds' noise; in the job, inside the runs' drift.
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "lambda-range-reader");
    // The OS's socket buffer (auto-tuned) instead of Kafka's 64 KiB: the next fetch's response, sent while the
    // caller works on the last poll's records, then lands whole and the next poll need not wait for it.
    p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
    return p;
  }
}
