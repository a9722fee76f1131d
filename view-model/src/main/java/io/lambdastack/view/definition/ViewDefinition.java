package io.lambdastack.view.definition;

import io.lambdastack.view.event.Event;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A view: which topic it reads, the fields that form its key, the width of its tumbling event-time buckets,
 * how late an event may be and still reach the speed layer, and its measures. Declared once in the view
 * file; the speed and the batch layer both run exactly this definition.
 *
 * <p>{@link #kind} says how events are grouped (see {@link ViewKind}); {@code sliding} views carry their
 * {@link #sliding} window, {@code landmark} views their {@link #reset} marker (both null otherwise). Only
 * {@code buckets} views are event-time buckets in both layers; for the other kinds {@code bucketWidth} is the
 * span of one published cell as far as one is fixed (a sliding view's slide; 3650d for running totals and
 * landmark segments), so code that divides by it stays safe.
 */
public record ViewDefinition(
    String name, String source, List<String> keyFields, Duration bucketWidth, Duration lateness,
    List<MeasureSpec> measures, ViewKind kind, SlidingWindow sliding, ResetMarker reset) implements Serializable {

  /** A {@code buckets} view (the default kind). */
  public ViewDefinition(String name, String source, List<String> keyFields, Duration bucketWidth, Duration lateness,
      List<MeasureSpec> measures) {
    this(name, source, keyFields, bucketWidth, lateness, measures, ViewKind.BUCKETS, null, null);
  }

  /** Joins the values of a multi-field key: {@code JFK|LAX}. */
  public static final String KEY_SEPARATOR = "|";

  public ViewDefinition {
    // Interned, as the JSON parser interns field names: an event's field lookup then usually ends at an identical
    // reference (FieldMap). A record's constructor also runs on deserialization, so executors' copies are interned too.
    keyFields = keyFields.stream().map(String::intern).toList();
    measures = List.copyOf(measures);
    java.util.Objects.requireNonNull(kind, "kind");
  }

  /** True for event-time bucket views, the kind both layers compute with {@code ViewFold}. */
  public boolean isBuckets() {
    return kind == ViewKind.BUCKETS;
  }

  public long bucketWidthMillis() {
    return bucketWidth.toMillis();
  }

  public long latenessMillis() {
    return lateness.toMillis();
  }

  /**
   * The lateness rule both layers apply: a bucket is closed, and an event for it late, once the key's
   * watermark (the newest event time seen for it) has reached the bucket's end plus the allowed lateness.
   */
  public static boolean isClosed(long bucketStart, long width, long lateness, long watermark) {
    return watermark != Long.MIN_VALUE && bucketStart + width + lateness <= watermark;
  }

  /** {@link #isClosed(long, long, long, long)} for this view's buckets. */
  public boolean isClosed(long bucketStart, long watermark) {
    return isClosed(bucketStart, bucketWidthMillis(), latenessMillis(), watermark);
  }

  /** Start of the tumbling bucket holding this event time (floor, also for times before 1970). */
  public long bucketStart(long eventTime) {
    return Math.floorDiv(eventTime, bucketWidthMillis()) * bucketWidthMillis();
  }

  /** The event's key in this view, or null when one of the key fields is missing (the event is not in the view). */
  public String keyOf(Event event) {
    return keyFields.size() == 1 ? event.text(keyFields.get(0)) : keyOf(event::text); // every event of every view: no lambda for one field
  }

  /** The event's key in this view when it comes from {@code topic}; null when the view reads another topic. */
  public String keyOf(String topic, Event event) {
    return topic.equals(source) ? keyOf(event) : null;
  }

  /** The key from a field → text lookup ({@link Event#text}), or null when a key field is missing. */
  public String keyOf(java.util.function.Function<String, String> text) {
    if (keyFields.size() == 1) {
      return text.apply(keyFields.get(0));
    }
    StringBuilder key = new StringBuilder();
    for (String field : keyFields) {
      String part = text.apply(field);
      if (part == null) {
        return null;
      }
      if (key.length() > 0) {
        key.append(KEY_SEPARATOR);
      }
      key.append(part);
    }
    return key.toString();
  }
}
