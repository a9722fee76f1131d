package io.lambdastack.view.measure;

import io.lambdastack.view.definition.MeasureSpec;

/** Creates the measure implementation for a declared measure. */
public final class Measures {
  private Measures() {}

  public static Measure<?> of(MeasureSpec spec) {
    return switch (spec.kind()) {
      case COUNT -> new Count(spec);
      case SUM, MEAN -> new SumOrMean(spec);
      case MIN, MAX -> new Extreme(spec);
      case DISTINCT -> new DistinctCount(spec);
      case QUANTILES -> new Quantiles(spec);
    };
  }
}
