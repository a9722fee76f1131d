package io.lambdastack.speed.input;

import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/** One record of any input (Kafka value, socket or file line) as (topic, event), or counted as unparseable. */
public final class EventParsing {
  private EventParsing() {}

  public static Iterator<Tuple2<String, Event>> parse(String topic, byte[] value, LongAccumulator events,
      LongAccumulator unparseable) {
    Event event = parseOrNull(value, events, unparseable);
    return event == null ? Collections.emptyIterator() : List.of(new Tuple2<>(topic, event)).iterator();
  }

  /**
   * Kafka records as (topic, event), parsed as they are asked for, each value where the consumer fetched it
   * ({@link EventJson#parseForViews(ByteBuffer)}); the unparseable ones counted and skipped. Read straight from the
   * consumer's records: a (topic, value) pair a record, and Spark's iterators between reading and parsing, cost 12-24 ns
   * a record of parsing and folding the default views (one thread, three pairs of runs).
   */
  public static Iterator<Tuple2<String, Event>> parseRecords(Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records,
      LongAccumulator events, LongAccumulator unparseable) {
    return parseAll(records, ConsumerRecord::topic, ConsumerRecord::value, new Counts(events, unparseable));
  }

  /** (topic, value) records as (topic, event), as {@link #parseRecords} parses them, counting nothing: for records read again, which were counted when first read. */
  public static Iterator<Tuple2<String, Event>> parseAgain(Iterator<Tuple2<String, ByteBuffer>> records) {
    return parseAll(records, Tuple2::_1, Tuple2::_2, null);
  }

  /** Where parsed and unparseable records are counted; null: nowhere. */
  private record Counts(LongAccumulator events, LongAccumulator unparseable) {}

  private static <R> Iterator<Tuple2<String, Event>> parseAll(Iterator<R> records, Function<R, String> topic,
      Function<R, ByteBuffer> value, Counts counts) {
    return new Iterator<>() {
      private Tuple2<String, Event> next;

      @Override
      public boolean hasNext() {
        while (next == null && records.hasNext()) {
          R r = records.next();
          ByteBuffer bytes = value.apply(r);
          Event event = counts == null ? parseOrNull(bytes) : parseOrNull(bytes, counts.events(), counts.unparseable());
          if (event != null) {
            next = new Tuple2<>(topic.apply(r), event);
          }
        }
        return next != null;
      }

      @Override
      public Tuple2<String, Event> next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Tuple2<String, Event> e = next;
        next = null;
        return e;
      }
    };
  }

  /** A line's bytes read as a fetched value is ({@link EventJson#parseForViews(ByteBuffer)}): one path for every input. */
  private static Event parseOrNull(byte[] value, LongAccumulator events, LongAccumulator unparseable) {
    return parseOrNull(value == null ? null : ByteBuffer.wrap(value), events, unparseable);
  }

  private static Event parseOrNull(ByteBuffer value, LongAccumulator events, LongAccumulator unparseable) {
    Event event = parseOrNull(value);
    (event == null ? unparseable : events).add(1);
    return event;
  }

  private static Event parseOrNull(ByteBuffer value) {
    try {
      return EventJson.parseForViews(value); // no view reads an id
    } catch (EventFormatException | RuntimeException e) {
      // Never fail a micro-batch on bad input: count it and go on (the validator dead-letters it upstream).
      return null;
    }
  }
}
