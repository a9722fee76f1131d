package io.lambdastack.view.event;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * One event: an id, its event time (epoch millis, UTC), string attributes (key candidates such as
 * {@code sensorId}) and finite numeric values (such as {@code temperature}).
 */
public record Event(String id, long eventTime, Map<String, String> attributes, Map<String, Double> values)
    implements Serializable {
  /** The id of an event read for the views, which never read ids ({@link EventJson#parseForViews}). */
  public static final String NO_ID = "-";

  public Event {
    Objects.requireNonNull(id, "id");
    attributes = immutable(attributes);
    values = immutable(values);
  }

  /** The map itself when it is already immutable ({@link FieldMap} or {@code Map.of}'s), else an immutable copy. */
  private static <V> Map<String, V> immutable(Map<String, V> fields) {
    return fields instanceof FieldMap<V> ? fields : Map.copyOf(fields);
  }

  /** The field as text, whether it is an attribute or a number; null when absent. */
  public String text(String field) {
    return text(attributes, values, field);
  }

  /** {@link #text(String)} over an event's two maps (e.g. columns of the master dataset, without an Event). */
  public static String text(Map<String, String> attributes, Map<String, Double> values, String field) {
    String attribute = attributes.get(field);
    if (attribute != null) {
      return attribute;
    }
    Double value = values.get(field);
    return value == null ? null : NumberText.of(value);
  }

  /** The numeric field; null when absent (measures skip absent values, as SQL aggregates skip NULL). */
  public Double number(String field) {
    return values.get(field);
  }
}
