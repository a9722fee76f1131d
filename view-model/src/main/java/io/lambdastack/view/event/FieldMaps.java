package io.lambdastack.view.event;

import java.util.Map;

/**
 * The immutable field maps of an event, built from (name, value) pairs without intermediate collections: an
 * {@link Event} keeps immutable maps as they are, and the producers of events on hot paths (JSON parsing, the
 * recompute's rows, the landmark events' decoding) build one or two per event. Profiled, building them from
 * lists of {@code Map.Entry} with {@code Map.ofEntries} cost as much as folding the event; {@code Map.of} for
 * the usual few fields does not.
 */
public final class FieldMaps {
  private FieldMaps() {}

  /**
   * The first {@code n} pairs of {@code kv} (name, value, name, value, ...) as an immutable map.
   *
   * @throws IllegalArgumentException on a duplicate name or a null, as {@link Map#of} does
   */
  @SuppressWarnings("unchecked")
  public static <V> Map<String, V> of(Object[] kv, int n) {
    return switch (n) {
      case 0 -> Map.of();
      case 1 -> Map.of((String) kv[0], (V) kv[1]);
      case 2 -> Map.of((String) kv[0], (V) kv[1], (String) kv[2], (V) kv[3]);
      case 3 -> Map.of((String) kv[0], (V) kv[1], (String) kv[2], (V) kv[3], (String) kv[4], (V) kv[5]);
      default -> {
        Map.Entry<String, V>[] entries = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
          entries[i] = Map.entry((String) kv[2 * i], (V) kv[2 * i + 1]);
        }
        yield Map.ofEntries(entries);
      }
    };
  }
}
