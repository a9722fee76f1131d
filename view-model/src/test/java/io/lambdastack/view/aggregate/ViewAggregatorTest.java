package io.lambdastack.view.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ViewAggregatorTest {
  /**
   * A field several measures read is looked up once per event: with the fields interleaved, absent, infinite or NaN,
   * every measure's answer is the one a view of that measure alone gives.
   */
  @Test
  void measuresSharingAFieldAnswerAsEachAlone() {
    ViewDefinition view = ViewFile.parse("v", """
        views:
          - {name: all, source: t, key: [k], bucket: 1m, measures: [mean(x), max(y), count, min(x), quantiles(y), distinct(d), sum(x), max(x), min(y)]}
        """).views().get(0);
    ViewAggregator all = new ViewAggregator(view);
    Map<String, ViewAggregator> alone = new LinkedHashMap<>();
    for (MeasureSpec m : view.measures()) {
      alone.put(m.name(), new ViewAggregator(new ViewDefinition(m.name(), "t", List.of("k"), Duration.ofMinutes(1), Duration.ZERO, List.of(m))));
    }
    Random random = new Random(5);
    for (int round = 0; round < 300; round++) {
      Aggregate a = all.zero();
      Map<String, Aggregate> each = new HashMap<>();
      alone.forEach((name, aggregator) -> each.put(name, aggregator.zero()));
      for (int i = random.nextInt(150); i > 0; i--) { // at most k = 200 values: the quantiles sketch is exact
        Map<String, Double> values = new HashMap<>();
        for (String field : List.of("x", "y")) {
          switch (random.nextInt(6)) {
            case 0 -> { } // absent
            case 1 -> values.put(field, random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NaN);
            default -> values.put(field, (double) random.nextInt(200) - 100);
          }
        }
        Event e = new Event("e", 1_000L + i, Map.of("k", "a", "d", "d" + random.nextInt(5)), values);
        all.add(a, e);
        alone.forEach((name, aggregator) -> aggregator.add(each.get(name), e));
      }
      Map<String, Object> expected = new LinkedHashMap<>();
      alone.forEach((name, aggregator) -> expected.putAll(aggregator.results(each.get(name))));
      assertThat(all.results(a)).as("round " + round).isEqualTo(expected);
    }
  }
}
