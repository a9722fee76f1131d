package io.lambdastack.view.event;

import java.util.Map;

/**
 * The immutable field maps of an event, built from (name, value) pairs without intermediate collections: an
 * {@link Event} keeps immutable maps as they are, and the producers of events on hot paths (JSON parsing, the
 * recompute's rows, the landmark events' decoding) build one or two per event. Profiled, building them from
 * lists of {@code Map.Entry} with {@code Map.ofEntries} cost as much as folding the event. The usual few fields
 * become a {@link FieldMap}, which also looks them up faster than {@code Map.of}.
 */
public final class FieldMaps {
  private FieldMaps() {}

  /**
   * The first {@code n} pairs of {@code kv} (name, value, name, value, ...) as an immutable map.
   *
   * @throws IllegalArgumentException on a duplicate name, NullPointerException on a null, as {@link Map#of} does
   */
  @SuppressWarnings("unchecked")
  public static <V> Map<String, V> of(Object[] kv, int n) {
    if (n <= FieldMap.MAX_FIELDS) {
      return new FieldMap<>(kv, n);
    }
    Map.Entry<String, V>[] entries = new Map.Entry[n];
    for (int i = 0; i < n; i++) {
      entries[i] = Map.entry((String) kv[2 * i], (V) kv[2 * i + 1]);
    }
    return Map.ofEntries(entries);
  }

  /**
   * The first {@code n} names and values as an immutable map that keeps the arrays (no copy, no checks): for hot paths
   * whose names are distinct by construction (the JSON parser refuses duplicates; a landmark view's fields are a set).
   * The caller hands both arrays over: it never writes to them again (the names array may be shared by such maps).
   *
   * @throws IllegalArgumentException when {@code n} exceeds either array
   */
  public static <V> Map<String, V> ofDistinct(String[] names, Object[] values, int n) {
    if (n <= FieldMap.MAX_FIELDS) {
      return FieldMap.handedOver(names, values, n);
    }
    Object[] kv = new Object[2 * n];
    for (int i = 0; i < n; i++) {
      kv[2 * i] = names[i];
      kv[2 * i + 1] = values[i];
    }
    return of(kv, n);
  }
}
