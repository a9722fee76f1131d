package io.lambdastack.view.aggregate;

import io.lambdastack.view.definition.MeasureKind;
import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.definition.ViewDefinition;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One view's aggregates made from another's, as an OLAP cube rolls a coarser cell up from finer ones: when both views
 * read the same topic with the same key and the other folds every measure this one declares, this view's aggregate
 * of a key's events is the merge of the other's aggregates of those events (any split of them, such as its
 * buckets), each projected onto this view's measures. The speed layer folds such a view (a running total, a
 * sliding window) from a bucket view's partials instead of from every event again.
 *
 * <p>Only measures whose merge loses nothing, so the rolled-up state answers exactly as adding the same events one by
 * one would: count, sum and mean (exact sums, {@code ExactSum}), min and max. Sketches are left out: a merged KLL or
 * HLL sketch answers within its error bounds, but not always as the sketch the events themselves would have built.
 */
public final class Rollup implements Serializable {
  private static final Set<MeasureKind> EXACT = EnumSet.of(MeasureKind.COUNT, MeasureKind.SUM, MeasureKind.MEAN,
      MeasureKind.MIN, MeasureKind.MAX);
  private final ViewAggregator target;
  private final ViewAggregator source;
  /** For each of the target's measures, the source's measure with the same state. */
  private final int[] from;

  private Rollup(ViewAggregator target, ViewAggregator source, int[] from) {
    this.target = target;
    this.source = source;
    this.from = from;
  }

  /** The roll-up of {@code target} from {@code source}'s aggregates, if the source covers it. */
  public static Optional<Rollup> of(ViewAggregator target, ViewAggregator source) {
    ViewDefinition t = target.view();
    ViewDefinition s = source.view();
    if (t.name().equals(s.name()) || !t.source().equals(s.source()) || !t.keyFields().equals(s.keyFields())) {
      return Optional.empty();
    }
    int[] from = new int[t.measures().size()];
    for (int i = 0; i < from.length; i++) {
      from[i] = sameState(t.measures().get(i), s.measures());
      if (from[i] < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new Rollup(target, source, from));
  }

  /** True when merging states of this kind loses nothing: a merged state answers as adding the events one by one would. */
  public static boolean mergesExactly(MeasureKind kind) {
    return EXACT.contains(kind);
  }

  /** The index of a measure of {@code among} whose state is {@code m}'s; -1 if none, or if merging it is not exact. */
  private static int sameState(MeasureSpec m, List<MeasureSpec> among) {
    if (!EXACT.contains(m.kind())) {
      return -1;
    }
    for (int j = 0; j < among.size(); j++) {
      MeasureSpec c = among.get(j);
      if (sameKind(m.kind(), c.kind()) && java.util.Objects.equals(m.field(), c.field())) {
        return j;
      }
    }
    return -1;
  }

  /** Sum and mean keep the same state (the exact sum and count of the present values); min and max do not. */
  private static boolean sameKind(MeasureKind a, MeasureKind b) {
    return a == b || (a == MeasureKind.SUM || a == MeasureKind.MEAN) && (b == MeasureKind.SUM || b == MeasureKind.MEAN);
  }

  public ViewDefinition target() {
    return target.view();
  }

  public ViewDefinition source() {
    return source.view();
  }

  /**
   * Adds the source's aggregate {@code part} to the target's {@code into} (modified and returned); {@code part} is
   * left as it was and shares nothing with the result, so it may go on as the source view's own partial.
   */
  public Aggregate add(Aggregate into, Aggregate part) {
    if (!part.view.equals(source.view().name()) || !into.view.equals(target.view().name())) {
      throw new IllegalArgumentException("a roll-up of " + target.view().name() + " from " + source.view().name()
          + " was given aggregates of " + into.view + " and " + part.view);
    }
    Serializable[] states = new Serializable[from.length];
    for (int i = 0; i < from.length; i++) {
      states[i] = source.measure(from[i]).copy(part.states[from[i]]);
    }
    Aggregate projected = new Aggregate(into.view, states);
    projected.events = part.events;
    projected.maxEventTime = part.maxEventTime;
    return target.merge(into, projected);
  }
}
