package io.lambdastack.infra.bench;

import io.lambdastack.ingestion.generator.SensorTemperatureGenerator;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.event.EventFormatException;
import io.lambdastack.view.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The latency run's live events, generated and JSON-encoded once before the run; each send copies one and
 * writes its send time into its bytes (its {@code ts} and the time inside its {@code id}).
 *
 * <p>Why: the load generator shares the job's two cores. Generating and encoding each event as it is sent cost
 * about a third of the producing thread's CPU (measured: 1.25 of 4.4 µs per event for generator and probe
 * alone, against the Kafka producer and broker), CPU that a real deployment's producers spend on machines of
 * their own. What reaches Kafka is unchanged: the same JSON, keys, sensors in the same round-robin order, sent
 * through the platform's producer ({@code EventPublisher.sendRaw}).
 */
final class StampedEvents {
  /** Send times have this many digits from 2001-09-09 to 2286-11-20: a stamp overwrites digits in place. */
  static final int TIME_DIGITS = 13;

  private final byte[][] templates;
  private final int[][] timeOffsets;
  private final String[] partitionKeys;
  private final String[] viewKeys;
  private int next;

  /**
   * @param count        how many distinct events to cycle through (ids stay unique: a template recurs after
   *                     count sends, always at a later millisecond at any rate under count x 1000 per second)
   * @param templateTime the time the templates are generated at (their temperatures follow it)
   */
  StampedEvents(SensorTemperatureGenerator generator, ViewDefinition probed, int count, long templateTime) {
    requireDigits(templateTime);
    templates = new byte[count][];
    timeOffsets = new int[count][];
    partitionKeys = new String[count];
    viewKeys = new String[count];
    byte[] time = Long.toString(templateTime).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      Event e = generator.next(templateTime);
      templates[i] = EventJson.toBytes(e);
      timeOffsets[i] = occurrences(templates[i], time);
      partitionKeys[i] = e.attributes().get("sensorId").intern();
      String viewKey = probed.keyOf(e);
      viewKeys[i] = viewKey == null ? null : viewKey.intern();
      requireStampable(templates[i], e, templateTime);
    }
  }

  /** The next event's key in the probed view (null if the view does not key it). */
  String viewKey() {
    return viewKeys[next];
  }

  /** The next event's Kafka key (its sensor). */
  String partitionKey() {
    return partitionKeys[next];
  }

  /** The next event's bytes with {@code time} as its event time; moves on to the following event. */
  byte[] take(long time) {
    byte[] out = templates[next].clone(); // the producer holds the value until it is appended to a batch
    stamp(out, timeOffsets[next], time);
    next = (next + 1) % templates.length;
    return out;
  }

  static void stamp(byte[] json, int[] offsets, long time) {
    requireDigits(time);
    for (int at : offsets) {
      long t = time;
      for (int i = at + TIME_DIGITS - 1; i >= at; i--) {
        json[i] = (byte) ('0' + t % 10);
        t /= 10;
      }
    }
  }

  private static void requireDigits(long time) {
    if (time < 1_000_000_000_000L || time > 9_999_999_999_999L) {
      throw new IllegalArgumentException("event time " + time + " does not have " + TIME_DIGITS + " digits");
    }
  }

  private static int[] occurrences(byte[] json, byte[] digits) {
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i + digits.length <= json.length; i++) {
      if (java.util.Arrays.equals(json, i, i + digits.length, digits, 0, digits.length)) {
        found.add(i);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Stamps a copy with another time and parses it back: the id and the time must be all that changed. */
  private static void requireStampable(byte[] template, Event generated, long templateTime) {
    long other = templateTime + 1;
    byte[] copy = template.clone();
    stamp(copy, occurrences(template, Long.toString(templateTime).getBytes(StandardCharsets.US_ASCII)), other);
    try {
      Event parsed = EventJson.parse(copy);
      String id = generated.id().replace(Long.toString(templateTime), Long.toString(other));
      if (parsed.eventTime() != other || !parsed.id().equals(id) || !parsed.attributes().equals(generated.attributes())
          || !parsed.values().equals(generated.values())) {
        throw new IllegalStateException("stamping " + new String(template, StandardCharsets.UTF_8) + " changed more than its time");
      }
    } catch (EventFormatException e) {
      throw new IllegalStateException("stamping " + new String(template, StandardCharsets.UTF_8) + " broke it: " + e.getMessage(), e);
    }
  }
}
