package io.lambdastack.infra.bench;

import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What each view adds to the per-event work: one thread parses and folds the benchmark's events with every view, then
 * with every view but one, for each view in turn; a view's cost is the difference. Why: the ratio's ceiling is set by
 * the per-event work (reading, parsing, folding), and most of it is the views' own, so a user sizing a speed layer needs
 * to know which views cost what. The difference is the view's cost in this set of views: a running or sliding view
 * that a bucket view covers is rolled up from it ({@code Rollup}) and adds next to nothing, and without that bucket view
 * it would fold on its own, so the bucket view's difference is its cost less that.
 */
final class ViewFoldCosts {
  /** Nanoseconds an event, all views, and what each view adds (by name, in the view file's order). */
  record Result(double allNs, double parseNs, Map<String, Double> addedNs, double noiseNs) {
    String line() {
      StringBuilder out = new StringBuilder();
      addedNs.forEach((view, ns) -> out.append(out.length() == 0 ? "" : ", ").append(String.format("%s %.0f", view, ns)));
      return out + String.format(" ns an event, of %.0f ns folding in all (parsing: %.0f; two passes of every view differed "
          + "by %.0f)", allNs - parseNs, parseNs, noiseNs);
    }
  }

  private ViewFoldCosts() {}

  /** The catalog without each of its views in turn: by the left-out view's name, in the view file's order. */
  static Map<String, ViewCatalog> withoutEach(ViewCatalog catalog) {
    Map<String, ViewCatalog> out = new LinkedHashMap<>();
    for (ViewDefinition left : catalog.views()) {
      List<ViewDefinition> rest = new ArrayList<>(catalog.views());
      rest.remove(left);
      out.put(left.name(), new ViewCatalog(rest));
    }
    return out;
  }

  /**
   * The best of {@code rounds} passes of each: every view (twice), and every view but one for each view. The passes take
   * turns, and each round starts one pass later than the last, so that neither a drift of the machine or the JIT nor a
   * pass's place in the round (what the collector was left with by the pass before) falls on one view's difference.
   * The two passes with every view say how far two passes of the same work differ: the noise of a difference.
   *
   * @param onePassNs one pass of parsing and folding the events with the given views: its time an event
   * @param parseNs   the best time an event of parsing alone
   */
  static Result measure(ViewCatalog catalog, ToDoubleFunction<ViewCatalog> onePassNs, double parseNs, int rounds) {
    Map<String, ViewCatalog> byName = new LinkedHashMap<>();
    byName.put(ALL, catalog);
    byName.putAll(withoutEach(catalog));
    byName.put(ALL_AGAIN, catalog);
    List<String> passes = new ArrayList<>(byName.keySet());
    Map<String, Double> best = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < passes.size(); i++) {
        String pass = passes.get((i + round) % passes.size());
        best.merge(pass, onePassNs.applyAsDouble(byName.get(pass)), Math::min);
      }
    }
    double first = best.remove(ALL);
    double again = best.remove(ALL_AGAIN);
    double all = Math.min(first, again);
    Map<String, Double> added = new LinkedHashMap<>();
    withoutEach(catalog).keySet().forEach(view -> added.put(view, all - best.get(view)));
    return new Result(all, parseNs, added, Math.abs(first - again));
  }

  /** The passes with every view (a view's name is never blank). */
  private static final String ALL = "";
  private static final String ALL_AGAIN = " ";
}
