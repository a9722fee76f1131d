package io.lambdastack.speed.input;

import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
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
   * ({@link EventJson#parseForViews(ByteBuffer)}); the unparseable ones (a tombstone's null value too) counted and
   * skipped. Read from the consumer's records themselves, without a (topic, value) pair made a record in between.
   */
  public static Iterator<Tuple2<String, Event>> parseRecords(Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records,
      LongAccumulator events, LongAccumulator unparseable) {
    return parseRecords(records, new Counts(events, unparseable));
  }

  /** The records as {@link #parseRecords(Iterator, LongAccumulator, LongAccumulator)} parses them, counting nothing: for records read again, which were counted when first read. */
  public static Iterator<Tuple2<String, Event>> parseAgain(Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records) {
    return parseRecords(records, (Counts) null);
  }

  /** Where parsed and unparseable records are counted; null: nowhere. */
  private record Counts(LongAccumulator events, LongAccumulator unparseable) {}

  private static Iterator<Tuple2<String, Event>> parseRecords(Iterator<ConsumerRecord<ByteBuffer, ByteBuffer>> records, Counts counts) {
    return new Iterator<>() {
      private Tuple2<String, Event> next;

      @Override
      public boolean hasNext() {
        while (next == null && records.hasNext()) {
          ConsumerRecord<ByteBuffer, ByteBuffer> r = records.next();
          Event event = counts == null ? parseOrNull(r.value()) : parseOrNull(r.value(), counts.events(), counts.unparseable());
          if (event != null) {
            next = new Tuple2<>(r.topic(), event);
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
