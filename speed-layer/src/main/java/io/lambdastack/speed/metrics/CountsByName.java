package io.lambdastack.speed.metrics;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/** A Spark accumulator of counts per name (late events per view). */
public final class CountsByName extends AccumulatorV2<Map.Entry<String, Long>, Map<String, Long>> {
  private final TreeMap<String, Long> counts = new TreeMap<>();

  @Override public boolean isZero() { return counts.isEmpty(); }

  @Override public CountsByName copy() {
    CountsByName c = new CountsByName();
    synchronized (counts) {
      c.counts.putAll(counts);
    }
    return c;
  }

  @Override public void reset() {
    synchronized (counts) {
      counts.clear();
    }
  }

  public void add(String name, long n) {
    synchronized (counts) {
      counts.merge(name, n, Long::sum);
    }
  }

  @Override public void add(Map.Entry<String, Long> v) {
    add(v.getKey(), v.getValue());
  }

  @Override public void merge(AccumulatorV2<Map.Entry<String, Long>, Map<String, Long>> other) {
    other.value().forEach(this::add);
  }

  @Override public Map<String, Long> value() {
    synchronized (counts) {
      return new TreeMap<>(counts);
    }
  }
}
