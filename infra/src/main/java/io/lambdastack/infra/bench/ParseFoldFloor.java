package io.lambdastack.infra.bench;

import io.lambdastack.speed.fold.MicroBatchFold;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.spark.SparkCopy;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.view.kafka.TopicRange;
import scala.Tuple2;

/**
 * What one thread does with the benchmark's events outside Spark and Kafka: JSON parsing alone, then parsing and
 * every view's per-task fold ({@link MicroBatchFold#foldPartition}), over events already in memory.
 *
 * <p>Why: every event the job keeps up with costs at least this on one of its two cores, before reading from Kafka,
 * the shuffle, the states and the outputs. So twice the parse-and-fold rate bounds the sustainable rate from above,
 * and the ratio with it: it shows how much of the gap to {@code ConsumerPerformance} is the per-event work itself.
 */
final class ParseFoldFloor {
  /** Events per simulated task: about what each of the job's four tasks folds per batch near its knee. */
  static final int TASK_EVENTS = 250_000;

  record Result(int events, double parseRate, double parseFoldRate, ViewFoldCosts.Result viewCosts) {
    /** The most two cores could sustain if the job did nothing but parse and fold. */
    double twoCoreBound() {
      return 2 * parseFoldRate;
    }
  }

  /** Partials the view costs' passes made, kept so that their work is used. */
  private static volatile long partialsMade;

  private ParseFoldFloor() {}

  /** The best of {@code rounds} rounds over the topic's first {@code events} records. */
  static Result measure(String bootstrap, String topic, ViewCatalog catalog, int events, int rounds) {
    List<ByteBuffer> values = read(bootstrap, topic, events);
    // As a task gets it, a copy through Spark's serializer: a copy can cost more than the original (before fd575e4 its
    // aggregators' field names were no longer interned, and each event's lookups compared texts).
    ViewFold fold = SparkCopy.of(new ViewFold(catalog));
    double bestParse = 0;
    double bestParseFold = 0;
    long checksum = 0; // keeps the JIT from dropping the work
    for (int round = 1; round <= rounds; round++) {
      long t0 = System.nanoTime();
      for (ByteBuffer v : values) {
        checksum += parse(v).eventTime();
      }
      long t1 = System.nanoTime();
      checksum += parseAndFold(topic, values, fold);
      long t2 = System.nanoTime();
      double parseRate = values.size() * 1e9 / (t1 - t0);
      double parseFoldRate = values.size() * 1e9 / (t2 - t1);
      System.out.printf("parse-and-fold floor round %d (one thread, %,d events in memory): parsing %,.0f events/s, parsing and folding "
          + "%,.0f events/s%n", round, values.size(), parseRate, parseFoldRate);
      bestParse = Math.max(bestParse, parseRate);
      bestParseFold = Math.max(bestParseFold, parseFoldRate);
    }
    if (checksum == 42) {
      System.out.println();
    }
    ViewFoldCosts.Result costs = ViewFoldCosts.measure(catalog, views -> {
      long start = System.nanoTime();
      partialsMade += parseAndFold(topic, values, SparkCopy.of(new ViewFold(views))); // used: the JIT keeps the work
      return (System.nanoTime() - start) / (double) values.size();
    }, 1e9 / bestParse, rounds);
    System.out.printf("what each view adds to parsing and folding (one thread, best of %d, all views then without each): %s%n",
        rounds, costs.line());
    return new Result(values.size(), bestParse, bestParseFold, costs);
  }

  /** Parses and folds every event with the views, in tasks of {@link #TASK_EVENTS}: the number of partials made. */
  private static long parseAndFold(String topic, List<ByteBuffer> values, ViewFold fold) {
    long partials = 0;
    for (int from = 0; from < values.size(); from += TASK_EVENTS) {
      int to = Math.min(values.size(), from + TASK_EVENTS);
      // As a task of the job reads a slice of Kafka: landmark views keep no events (the slice is never read again here).
      KafkaSlice slice = new KafkaSlice(0, List.of(new TopicRange(topic, 0, from, to)), "floor");
      partials += MicroBatchFold.foldPartition(parsed(topic, values, from, to), fold, slice).size();
    }
    return partials;
  }

  /** Events {@code from} (inclusive) to {@code to} parsed one at a time as the fold asks, as a task's iterator does. */
  private static Iterator<Tuple2<String, Event>> parsed(String topic, List<ByteBuffer> values, int from, int to) {
    return new Iterator<>() {
      private int next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Tuple2<String, Event> next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        return new Tuple2<>(topic, parse(values.get(next++)));
      }
    };
  }

  private static Event parse(ByteBuffer value) {
    try {
      return EventJson.parseForViews(value); // as the speed layer parses
    } catch (EventFormatException e) {
      throw new IllegalStateException("the benchmark's own event does not parse: " + e.getMessage(), e);
    }
  }

  private static List<ByteBuffer> read(String bootstrap, String topic, int events) {
    List<ByteBuffer> values = new ArrayList<>(events);
    // As the job's range reader reads them: each value the fetched record's own bytes, parsed where they lie.
    try (KafkaConsumer<ByteBuffer, ByteBuffer> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteBufferDeserializer(), new ByteBufferDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (values.size() < events) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("read only " + values.size() + " of " + events + " events from " + topic + " in 2 minutes");
        }
        for (ConsumerRecord<ByteBuffer, ByteBuffer> r : consumer.poll(Duration.ofMillis(200))) {
          if (values.size() < events) {
            values.add(r.value());
          }
        }
      }
    }
    return values;
  }
}
