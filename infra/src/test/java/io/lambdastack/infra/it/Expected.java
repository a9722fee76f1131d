package io.lambdastack.infra.it;

import io.lambdastack.view.event.Event;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * What a bucket must answer, computed independently of the platform's code: plain Java over the events.
 * The mean is specified as the exact sum divided by the count, correctly rounded.
 */
record Expected(long count, double sum, double min, double max, double mean) {
  static Expected of(List<Event> events, String field) {
    List<Double> v = events.stream().map(e -> e.number(field)).toList();
    BigDecimal exact = v.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new Expected(events.size(), exact.doubleValue(), v.stream().mapToDouble(d -> d).min().orElseThrow(),
        v.stream().mapToDouble(d -> d).max().orElseThrow(),
        exact.divide(BigDecimal.valueOf(v.size()), MathContext.DECIMAL128).doubleValue());
  }
}
