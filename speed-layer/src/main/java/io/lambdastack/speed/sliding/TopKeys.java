package io.lambdastack.speed.sliding;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The K keys with the most events in a window, merged as a bounded monoid so top-K is computed by the
 * executors ({@code reduceByKey}) and not by collecting the window. Ties go to the smaller key, so the
 * answer is deterministic.
 */
public final class TopKeys implements Serializable {
  /** One ranked key with its window answers. */
  public record Entry(String key, long events, Map<String, Object> measures) implements Serializable {}

  static final Comparator<Entry> RANK = Comparator.comparingLong(Entry::events).reversed().thenComparing(Entry::key);
  private final int k;
  private final List<Entry> entries;

  private TopKeys(int k, List<Entry> entries) {
    this.k = k;
    this.entries = entries;
  }

  public static TopKeys of(int k, Entry entry) {
    return new TopKeys(k, List.of(entry));
  }

  public TopKeys merge(TopKeys other) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    all.sort(RANK);
    return new TopKeys(k, List.copyOf(all.subList(0, Math.min(k, all.size()))));
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The served form: [{key, events, measures...}], best first. */
  public List<Map<String, Object>> ranking() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      row.put("key", e.key());
      row.put("events", e.events());
      row.putAll(e.measures());
      out.add(row);
    }
    return out;
  }
}
