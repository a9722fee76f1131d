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
  record Result(double allNs, double parseNs, Map<String, Double> addedNs) {
    String line() {
      StringBuilder out = new StringBuilder();
      addedNs.forEach((view, ns) -> out.append(out.length() == 0 ? "" : ", ").append(String.format("%s %.0f", view, ns)));
      return out + String.format(" ns an event, of %.0f ns folding in all (parsing: %.0f)", allNs - parseNs, parseNs);
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
   * The best of {@code rounds} passes of each: every view, then every view but one. The passes take turns, round by
   * round, so that a drift of the machine or the JIT during the measurement does not fall on one view's difference.
   *
   * @param onePassNs one pass of parsing and folding the events with the given views: its time an event
   * @param parseNs   the best time an event of parsing alone
   */
  static Result measure(ViewCatalog catalog, ToDoubleFunction<ViewCatalog> onePassNs, double parseNs, int rounds) {
    Map<String, ViewCatalog> passes = new LinkedHashMap<>();
    passes.put(ALL, catalog);
    passes.putAll(withoutEach(catalog));
    Map<String, Double> best = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      passes.forEach((name, views) -> best.merge(name, onePassNs.applyAsDouble(views), Math::min));
    }
    double all = best.remove(ALL);
    Map<String, Double> added = new LinkedHashMap<>();
    best.forEach((view, without) -> added.put(view, all - without));
    return new Result(all, parseNs, added);
  }

  /** The pass with every view (a view's name is never empty). */
  private static final String ALL = "";
}
