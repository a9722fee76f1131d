package io.lambdastack.view.event;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An event's few fields as an immutable map, in the order given, looked up by a scan that compares names by
 * identity first.
 *
 * <p>Why: every view reads its key and measure fields from every event, about a dozen lookups per event for the
 * default views, and {@code Map.of}'s table hashes and salts the name on each one ({@code MapN.probe} was 11 % of
 * parsing and folding an event, profiled). The names come interned from the JSON parser and from the view
 * definitions, so a scan of a handful of entries usually ends at the first identical reference. Like
 * {@code Map.of}: no null names or values, no duplicate names, no changes.
 */
final class FieldMap<V> extends AbstractMap<String, V> implements Serializable {
  /** Above this many fields, hashing beats a scan: {@link FieldMaps} builds a {@code Map.ofEntries} instead. */
  static final int MAX_FIELDS = 8;

  private final String[] names;
  private final Object[] values;
  /** The first {@code size} entries of the arrays are the map's (they may be longer: the parser's, not copied). */
  private final int size;

  /** The first {@code n} (name, value) pairs of {@code kv}. */
  FieldMap(Object[] kv, int n) {
    names = new String[n];
    values = new Object[n];
    size = n;
    for (int i = 0; i < n; i++) {
      String name = (String) Objects.requireNonNull(kv[2 * i], "field name");
      for (int j = 0; j < i; j++) {
        if (names[j].equals(name)) {
          throw new IllegalArgumentException("duplicate key: " + name);
        }
      }
      names[i] = name;
      values[i] = Objects.requireNonNull(kv[2 * i + 1], "value of " + name);
    }
  }

  private FieldMap(String[] names, Object[] values, int size) {
    this.names = names;
    this.values = values;
    this.size = size;
  }

  /**
   * The first {@code n} names and values, the arrays kept as they are (the caller hands them over and never writes to
   * them again). For the JSON parser, which already refused duplicate names (interned: it compares references) and
   * has no nulls: the checks and copies of the other constructor were a tenth of parsing an event (profiled).
   */
  static <V> FieldMap<V> handedOver(String[] names, Object[] values, int n) {
    if (n < 0 || n > MAX_FIELDS || n > names.length || n > values.length) {
      throw new IllegalArgumentException(n + " fields, " + names.length + " names, " + values.length + " values");
    }
    return new FieldMap<>(names, values, n);
  }

  @Override
  public V get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : value(i);
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return size;
  }

  // As Map.of: every change is refused, even one that would change nothing.
  @Override
  public V remove(Object key) {
    throw new UnsupportedOperationException("an event's fields do not change");
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException("an event's fields do not change");
  }

  @Override
  public void putAll(Map<? extends String, ? extends V> m) {
    throw new UnsupportedOperationException("an event's fields do not change");
  }

  private int indexOf(Object key) {
    Objects.requireNonNull(key); // as Map.of
    for (int i = 0; i < size; i++) {
      if (names[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < size; i++) {
      if (names[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  private V value(int i) {
    return (V) values[i];
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, V>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<String, V> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return Map.entry(names[i], value(i));
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }
}
