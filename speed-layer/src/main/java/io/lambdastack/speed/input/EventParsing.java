package io.lambdastack.speed.input;

import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/** One record of any input (Kafka value, socket or file line) as (topic, event), or counted as unparseable. */
public final class EventParsing {
  private EventParsing() {}

  public static Iterator<Tuple2<String, Event>> parse(String topic, byte[] value, LongAccumulator events,
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
}
