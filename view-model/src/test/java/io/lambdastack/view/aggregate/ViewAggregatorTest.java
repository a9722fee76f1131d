package io.lambdastack.view.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.spark.SparkCopy;
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

  /**
   * Spark hands each task a deserialized copy of the views' aggregators. The copy is built again from its view, so its
   * number fields are the interned names that events' field lookups expect by reference, and it folds as the original.
   */
  @Test
  void aDeserializedCopyReadsInternedFieldsAndFoldsAsTheOriginal() {
    ViewDefinition view = ViewFile.parse("v", """
        views:
          - {name: all, source: t, key: [k], bucket: 1m, measures: [count, mean(x), max(x), distinct(d)]}
        """).views().get(0);
    ViewAggregator original = new ViewAggregator(view);
    List<?> copies = SparkCopy.of(List.of(original, original)); // two references to one aggregator stay one copy
    ViewAggregator copy = (ViewAggregator) copies.get(0);
    assertThat(copies.get(1)).isSameAs(copy);
    assertThat(copy.numberField(0)).isNull();
    assertThat(copy.numberField(1)).isEqualTo("x").isSameAs("x".intern());
    assertThat(copy.numberField(2)).isSameAs("x".intern());
    Aggregate a = original.zero();
    Aggregate b = copy.zero();
    for (int i = 0; i < 50; i++) {
      Event e = new Event("e" + i, 1_000L + i, Map.of("k", "a", "d", "d" + i % 7), Map.of("x", (double) (i * 3 % 11)));
      original.add(a, e);
      copy.add(b, e);
    }
    assertThat(copy.results(b)).isEqualTo(original.results(a)).containsEntry("count", 50L).containsEntry("max_x", 10.0);
  }
}
