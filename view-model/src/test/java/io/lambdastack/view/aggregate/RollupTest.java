package io.lambdastack.view.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdastack.view.definition.ViewFile;
import io.lambdastack.view.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RollupTest {
  static final ViewFold FOLD = new ViewFold(ViewFile.parse("v", """
      views:
        - {name: fine, source: t, key: [k], bucket: 10s, measures: [count, sum(x), min(x), max(x), distinct(d), quantiles(x)]}
        - {name: total, kind: running, source: t, key: [k], measures: [count, mean(x) as avg, max(x), min(x), sum(x)]}
        - {name: by_max, kind: running, source: t, key: [k], measures: [min(x)]}
        - {name: distinct, kind: running, source: t, key: [k], measures: [count, distinct(d)]}
        - {name: quantiles, kind: running, source: t, key: [k], measures: [quantiles(x)]}
        - {name: other_field, kind: running, source: t, key: [k], measures: [sum(y)]}
        - {name: other_key, kind: running, source: t, key: [d], measures: [count]}
        - {name: two_keys, kind: running, source: t, key: [k, d], measures: [count]}
        - {name: other_topic, kind: running, source: u, key: [k], measures: [count]}
        - {name: only_max, source: t, key: [k], bucket: 1m, measures: [max(x)]}
      """));

  private static boolean covers(String source, String target) {
    return Rollup.of(FOLD.aggregator(target), FOLD.aggregator(source)).isPresent();
  }

  @Test
  void aViewRollsUpOnlyFromOneOfTheSameTopicAndKeyWhoseExactMeasuresCoverItsOwn() {
    assertThat(covers("fine", "total")).as("count, mean from sum, max, min, sum").isTrue();
    assertThat(covers("only_max", "by_max")).as("min is not max").isFalse();
    assertThat(covers("fine", "distinct")).as("an HLL sketch").isFalse();
    assertThat(covers("fine", "quantiles")).as("a KLL sketch").isFalse();
    assertThat(covers("fine", "other_field")).isFalse();
    assertThat(covers("fine", "other_key")).isFalse();
    assertThat(covers("fine", "two_keys")).isFalse();
    assertThat(covers("fine", "other_topic")).isFalse();
    assertThat(covers("fine", "fine")).as("itself").isFalse();
  }

  @Test
  void theRollUpOfAnySplitOfTheEventsAnswersAsFoldingThemAllAndLeavesThePartsAsTheyWere() {
    Random random = new Random(7);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      Map<String, Double> values = new HashMap<>();
      if (random.nextInt(8) > 0) { // some events lack x: counted, not summed
        values.put("x", random.nextInt(3) == 0 ? random.nextGaussian() * 1e6 : Math.round(random.nextGaussian() * 1_000) / 100.0);
      }
      events.add(new Event("e" + i, 1_700_000_000_000L + random.nextInt(600_000), Map.of("k", "a", "d", "d" + random.nextInt(9)), values));
    }
    ViewAggregator fine = FOLD.aggregator("fine");
    ViewAggregator total = FOLD.aggregator("total");
    Rollup rollup = Rollup.of(total, fine).orElseThrow();
    List<Aggregate> parts = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      parts.add(fine.zero());
    }
    events.forEach(e -> fine.add(parts.get(random.nextInt(parts.size())), e));
    List<byte[]> before = parts.stream().map(fine::encode).toList();

    Aggregate rolled = total.zero();
    parts.forEach(part -> rollup.add(rolled, part));
    Aggregate direct = total.zero();
    events.forEach(e -> total.add(direct, e));

    assertThat(total.results(rolled)).isEqualTo(total.results(direct));
    assertThat(rolled.events()).isEqualTo(2_000).isEqualTo(direct.events());
    assertThat(rolled.maxEventTime()).isEqualTo(direct.maxEventTime());
    // The result shares nothing with the parts: changing it afterwards leaves them as they were.
    total.add(rolled, new Event("later", 1_800_000_000_000L, Map.of("k", "a", "d", "d0"), Map.of("x", 12345.678)));
    total.merge(rolled, total.copy(rolled));
    rollup.add(rolled, parts.get(0));
    assertThat(parts.stream().map(fine::encode).toList()).usingElementComparator(java.util.Arrays::compare).isEqualTo(before);
  }

  @Test
  void aggregatesOfOtherViewsAreRefused() {
    Rollup rollup = Rollup.of(FOLD.aggregator("total"), FOLD.aggregator("fine")).orElseThrow();
    assertThatThrownBy(() -> rollup.add(FOLD.aggregator("total").zero(), FOLD.aggregator("only_max").zero()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a roll-up of total from fine was given aggregates of total and only_max");
  }
}
