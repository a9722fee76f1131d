package io.lambdastack.view.aggregate;

import io.lambdastack.view.definition.ViewCatalog;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one fold both layers run: route each event to the (view, key, bucket) cells it belongs to, fold the
 * events of a cell into an {@link Aggregate}, merge partial aggregates. The speed layer calls it per
 * micro-batch, the batch layer per partition of the master dataset (see {@code RddViewFold}).
 */
public final class ViewFold implements Serializable {
  private final ViewCatalog catalog;
  private final Map<String, ViewAggregator> aggregators = new LinkedHashMap<>();
  /** The bucket views of each source topic with their aggregators, looked up once: every event of both layers is routed. */
  private final Map<String, List<ViewAggregator>> bucketViews = new HashMap<>();

  public ViewFold(ViewCatalog catalog) {
    this.catalog = catalog;
    for (ViewDefinition view : catalog.views()) {
      ViewAggregator aggregator = new ViewAggregator(view);
      aggregators.put(view.name(), aggregator);
      if (view.isBuckets()) {
        bucketViews.computeIfAbsent(view.source(), t -> new ArrayList<>()).add(aggregator);
      }
    }
  }

  public ViewCatalog catalog() {
    return catalog;
  }

  public ViewAggregator aggregator(String view) {
    ViewAggregator a = aggregators.get(view);
    if (a == null) {
      throw new IllegalArgumentException("no view named " + view);
    }
    return a;
  }

  /**
   * The cells of every bucket view reading {@code topic} that this event falls into (none when a key field is
   * missing). Views of the other kinds (sliding, running, landmark) are the speed layer's own and not routed.
   */
  public List<BucketKey> route(String topic, Event event) {
    List<BucketKey> cells = new ArrayList<>(2);
    for (ViewAggregator aggregator : bucketViews.getOrDefault(topic, List.of())) {
      BucketKey cell = cell(aggregator.view(), event);
      if (cell != null) {
        cells.add(cell);
      }
    }
    return cells;
  }

  /** The event's cell in a bucket view; null when a key field is missing. */
  private static BucketKey cell(ViewDefinition view, Event event) {
    String key = view.keyOf(event);
    return key == null ? null : new BucketKey(view.name(), key, view.bucketStart(event.eventTime()));
  }

  /** Folds events into one partial aggregate per cell. */
  public Map<BucketKey, Aggregate> fold(String topic, Iterable<Event> events) {
    Map<BucketKey, Aggregate> partials = new HashMap<>();
    for (Event event : events) {
      add(partials, topic, event);
    }
    return partials;
  }

  /** Folds one event into the partials (modified). */
  public void add(Map<BucketKey, Aggregate> partials, String topic, Event event) {
    for (ViewAggregator aggregator : bucketViews.getOrDefault(topic, List.of())) { // route(), without a list per event
      BucketKey cell = cell(aggregator.view(), event);
      if (cell != null) {
        aggregator.add(partials.computeIfAbsent(cell, c -> aggregator.zero()), event);
      }
    }
  }

  /** Merges two partials of the same cell (the first is modified). */
  public Aggregate merge(Aggregate a, Aggregate b) {
    return aggregator(a.view()).merge(a, b);
  }

  /** Merges partials into {@code into} (modified); the partials are not kept, so they may be shared. */
  public void mergeInto(Map<BucketKey, Aggregate> into, Map<BucketKey, Aggregate> partials) {
    partials.forEach((cell, partial) -> {
      ViewAggregator aggregator = aggregator(cell.view());
      Aggregate current = into.get(cell);
      into.put(cell, current == null ? aggregator.copy(partial) : aggregator.merge(current, partial));
    });
  }
}
