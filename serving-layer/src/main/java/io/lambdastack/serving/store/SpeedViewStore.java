package io.lambdastack.serving.store;

import io.lambdastack.view.update.ViewUpdate;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The latest full aggregate of every (view, key, bucket) of the speed layer, fed from the compacted
 * speed-view topic. An update replaces the bucket (upsert): replaying the topic rebuilds the same store.
 */
public final class SpeedViewStore {
  private final Map<String, Map<String, NavigableMap<Long, ViewUpdate>>> views = new ConcurrentHashMap<>();

  public void apply(ViewUpdate update) {
    views.computeIfAbsent(update.view(), v -> new ConcurrentHashMap<>())
        .computeIfAbsent(update.key(), k -> new ConcurrentSkipListMap<>())
        .put(update.bucketStart(), update);
  }

  /** Buckets of one key whose start lies in [from, to), in time order. */
  public List<ViewUpdate> buckets(String view, String key, long from, long to) {
    NavigableMap<Long, ViewUpdate> buckets = views.getOrDefault(view, Map.of()).get(key);
    if (buckets == null || from >= to) {
      return List.of();
    }
    return List.copyOf(buckets.subMap(from, true, to, false).values());
  }

  public Set<String> keys(String view) {
    return new TreeSet<>(views.getOrDefault(view, Map.of()).keySet());
  }

  public long bucketCount() {
    return views.values().stream().flatMap(k -> k.values().stream()).mapToLong(Map::size).sum();
  }
}
