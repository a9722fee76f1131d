package io.lambdastack.speed.sliding;

import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.definition.MeasureKind;
import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.measure.ExactSum;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The invertible aggregate of a sliding window: events, and per measure an exact sum and a count. A window
 * moves by adding the batches that enter it and SUBTRACTING those that leave ({@code reduceByKeyAndWindow}
 * with an inverse function); with doubles, subtraction leaves rounding residue (a key that left the window
 * would keep 1e-15), so sums are exact {@code BigDecimal}s and a key whose window is empty is exactly zero.
 * Immutable: Spark may re-apply a reduce to the same objects.
 */
public final class WindowSums implements Serializable {
  private final long events;
  private final BigDecimal[] sums;
  private final long[] counts;

  private WindowSums(long events, BigDecimal[] sums, long[] counts) {
    this.events = events;
    this.sums = sums;
    this.counts = counts;
  }

  /**
   * The events of one key in one partition of a batch, summed exactly ({@link ExactSum}: no BigDecimal per
   * event) before they become one immutable {@link WindowSums}.
   */
  public static final class Accumulator {
    private final ViewDefinition view;
    private final ExactSum[] sums;
    private long events;

    public Accumulator(ViewDefinition view) {
      this.view = view;
      this.sums = new ExactSum[view.measures().size()];
      for (int i = 0; i < sums.length; i++) {
        sums[i] = new ExactSum();
      }
    }

    public void add(Event event) {
      events++;
      List<MeasureSpec> measures = view.measures();
      for (int i = 0; i < sums.length; i++) {
        Double v = measures.get(i).kind() == MeasureKind.COUNT ? null : event.number(measures.get(i).field());
        if (v != null && Double.isFinite(v)) {
          sums[i].add(v);
        }
      }
    }

    /**
     * Events of this key already aggregated by a bucket view ({@code a}, projected onto this view's measures by a
     * {@link io.lambdastack.view.aggregate.Rollup}): their sums are the exact sums this accumulator keeps.
     */
    public void addAll(Aggregate a, ViewAggregator aggregator) {
      events += a.events();
      List<MeasureSpec> measures = view.measures();
      for (int i = 0; i < sums.length; i++) {
        if (measures.get(i).kind() != MeasureKind.COUNT) {
          sums[i].merge((ExactSum) aggregator.state(a, i));
        }
      }
    }

    public WindowSums sums() {
      BigDecimal[] exact = new BigDecimal[sums.length];
      long[] counts = new long[sums.length];
      for (int i = 0; i < sums.length; i++) {
        exact[i] = sums[i].exact();
        counts[i] = sums[i].count();
      }
      return new WindowSums(events, exact, counts);
    }
  }

  public WindowSums plus(WindowSums o) {
    return combine(o, 1);
  }

  public WindowSums minus(WindowSums o) {
    return combine(o, -1);
  }

  private WindowSums combine(WindowSums o, int sign) {
    BigDecimal[] s = new BigDecimal[sums.length];
    long[] c = new long[counts.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = sign > 0 ? sums[i].add(o.sums[i]) : sums[i].subtract(o.sums[i]);
      c[i] = counts[i] + sign * o.counts[i];
    }
    return new WindowSums(events + sign * o.events, s, c);
  }

  public long events() {
    return events;
  }

  /** True when every event that entered the window has left it: the key is filtered out of the window. */
  public boolean isEmpty() {
    return events == 0;
  }

  /** Measure name → answer, like the bucket views' (count; sum and mean of the present values, null if none). */
  public Map<String, Object> results(ViewDefinition view) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < sums.length; i++) {
      MeasureSpec m = view.measures().get(i);
      Object answer = switch (m.kind()) {
        case COUNT -> events;
        case SUM -> counts[i] == 0 ? null : sums[i].doubleValue();
        default -> counts[i] == 0 ? null : sums[i].divide(BigDecimal.valueOf(counts[i]), MathContext.DECIMAL128).doubleValue();
      };
      out.put(m.name(), answer);
    }
    return out;
  }
}
