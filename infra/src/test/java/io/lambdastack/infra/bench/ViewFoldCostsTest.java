package io.lambdastack.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The view costs' passes and arithmetic, with a pass whose time is given per view (the timing itself is the benchmark's). */
class ViewFoldCostsTest {
  private final ViewCatalog views = ViewFile.load(Path.of("../config/views.yaml"));

  @Test
  void eachPassLeavesOutOneViewAndKeepsTheOthersInOrder() {
    Map<String, ViewCatalog> without = ViewFoldCosts.withoutEach(views);
    List<String> names = views.views().stream().map(ViewDefinition::name).toList();
    assertThat(without.keySet()).containsExactlyElementsOf(names);
    without.forEach((left, rest) -> {
      List<String> expected = new ArrayList<>(names);
      expected.remove(left);
      assertThat(rest.views().stream().map(ViewDefinition::name).toList()).as("without " + left).isEqualTo(expected);
    });
  }

  @Test
  void aViewAddsTheDifferenceOfTheBestPassesWithAndWithoutIt() {
    // A pass costs 100 ns plus 10 ns per view it folds, 50 ns more in the first round (as a JIT warming up would) and,
    // the second time every view is folded in a round, 2 ns more: the noise.
    int passes = views.views().size() + 2;
    int[] calls = {0};
    int[] allInRound = {0};
    ViewFoldCosts.Result r = ViewFoldCosts.measure(views, catalog -> {
      int round = calls[0]++ / passes;
      if (calls[0] % passes == 1) {
        allInRound[0] = 0;
      }
      int extra = 0;
      if (catalog.views().size() == views.views().size() && allInRound[0]++ == 1) {
        extra = 2;
      }
      return 100 + 10 * catalog.views().size() + (round == 0 ? 50 : 0) + extra;
    }, 60, 3);
    assertThat(calls[0]).isEqualTo(3 * passes);
    assertThat(r.allNs()).isEqualTo(100 + 10 * views.views().size());
    assertThat(r.noiseNs()).isEqualTo(2);
    assertThat(r.addedNs()).hasSize(views.views().size()).allSatisfy((view, ns) -> assertThat(ns).as(view).isEqualTo(10.0));
    assertThat(r.line()).startsWith("temperature_by_sensor 10, readings_by_site 10")
        .endsWith("ns an event, of " + (40 + 10 * views.views().size()) + " ns folding in all (parsing: 60; two passes of every view differed by 2)");
  }

  @Test
  void eachRoundStartsOnePassLater() {
    List<Integer> sizes = new ArrayList<>();
    ViewFoldCosts.measure(views, catalog -> {
      sizes.add(catalog.views().size());
      return 1;
    }, 0, 2);
    int n = views.views().size();
    List<Integer> firstRound = new ArrayList<>(List.of(n));
    for (int i = 0; i < n; i++) {
      firstRound.add(n - 1);
    }
    firstRound.add(n);
    List<Integer> secondRound = new ArrayList<>(firstRound.subList(1, firstRound.size()));
    secondRound.add(firstRound.get(0));
    assertThat(sizes.subList(0, n + 2)).isEqualTo(firstRound);
    assertThat(sizes.subList(n + 2, 2 * n + 4)).isEqualTo(secondRound);
  }
}
