package io.lambdastack.ingestion.replay;

import io.lambdastack.view.event.Event;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset held column by column (3 million flights fit in a few hundred MB this way, not as objects) and
 * an order of its rows by event time. {@link #event(int)} builds the i-th event of that order.
 */
public final class ReplayTable {
  /** A column: numbers (long or double values) or text, with nulls marked. */
  static final class Column {
    final String name;
    final long[] longs;
    final double[] doubles;
    final String[] texts;
    final BitSet nulls = new BitSet();

    Column(String name, int rows, char kind) {
      this.name = name;
      this.longs = kind == 'l' ? new long[rows] : null;
      this.doubles = kind == 'd' ? new double[rows] : null;
      this.texts = kind == 's' ? new String[rows] : null;
    }
  }

  private final List<Column> columns;
  private final long[] eventTimes;
  private final int[] order;
  private final String idPrefix;
  private final String[] ids;

  /** @param ids the events' own ids, or null to name them by file and row */
  ReplayTable(List<Column> columns, long[] eventTimes, String idPrefix, String[] ids) {
    this.columns = columns;
    this.eventTimes = eventTimes;
    this.idPrefix = idPrefix;
    this.ids = ids;
    this.order = sortByTime(eventTimes);
  }

  public int size() {
    return eventTimes.length;
  }

  /** Event time of the i-th event in time order. */
  public long eventTime(int i) {
    return eventTimes[order[i]];
  }

  /** The i-th event in time order; its id is the row's position in the file, so a replay is idempotent. */
  public Event event(int i) {
    int row = order[i];
    Map<String, String> attributes = new HashMap<>();
    Map<String, Double> values = new HashMap<>();
    for (Column c : columns) {
      if (c.nulls.get(row)) {
        continue;
      }
      if (c.texts != null) {
        attributes.put(c.name, c.texts[row]);
      } else if (c.longs != null) {
        values.put(c.name, (double) c.longs[row]);
      } else {
        values.put(c.name, c.doubles[row]);
      }
    }
    return new Event(ids != null ? ids[row] : idPrefix + row, eventTimes[row], attributes, values);
  }

  /** Row indices ordered by time, ties in file order (stable); packs (time, row) into longs when they fit. */
  static int[] sortByTime(long[] times) {
    int n = times.length;
    long min = Arrays.stream(times).min().orElse(0);
    long max = Arrays.stream(times).max().orElse(0);
    if (n < (1 << 22) && max - min < (1L << 41)) {
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        keys[i] = ((times[i] - min) << 22) | i;
      }
      Arrays.sort(keys);
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = (int) (keys[i] & ((1 << 22) - 1));
      }
      return order;
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) boxed[i] = i;
    Arrays.sort(boxed, (a, b) -> a.equals(b) ? 0 : times[a] != times[b] ? Long.compare(times[a], times[b]) : Integer.compare(a, b));
    return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
  }
}
