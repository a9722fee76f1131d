package io.lambdastack.speed.fold;

import io.lambdastack.speed.landmark.LandmarkEvents;
import io.lambdastack.speed.sliding.SlidingViews;
import io.lambdastack.speed.sliding.WindowSums;
import io.lambdastack.speed.state.KeyBatch;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.BucketKey;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import scala.Tuple2;

/**
 * One pass over one partition of a micro-batch: every view, of every kind, folds the events it reads into
 * its partial per (view, key). Bucket views go through the shared fold ({@link ViewFold#add}: the batch layer's
 * routing and measures), running views through the shared measures ({@link ViewAggregator}), sliding views sum
 * exactly, landmark views keep their events compactly. Reading the
 * batch once, instead of once per kind, and shuffling only partials is what lets a micro-batch keep up.
 */
final class PartitionFold {
  private final ViewFold fold;
  private final Map<String, List<Route>> routes = new HashMap<>();
  private final Map<BucketKey, Aggregate> cells = new HashMap<>();
  private final Map<ViewKey, Aggregate> totals = new HashMap<>();
  private final Map<ViewKey, WindowSums.Accumulator> windows = new HashMap<>();
  private final Map<ViewKey, LandmarkEvents.Builder> landmarks = new HashMap<>();

  /** A view reading a topic, with its aggregator looked up once. */
  private record Route(ViewDefinition view, ViewAggregator aggregator) {}

  PartitionFold(ViewFold fold) {
    this.fold = fold;
  }

  void add(String topic, Event event) {
    fold.add(cells, topic, event); // the bucket views
    for (Route r : routes.computeIfAbsent(topic, this::routes)) {
      ViewDefinition view = r.view();
      String key = view.keyOf(event);
      if (key == null) {
        continue; // a key field is missing: the event is not in this view (as in the batch layer)
      }
      switch (view.kind()) {
        case RUNNING -> r.aggregator().add(totals.computeIfAbsent(new ViewKey(view.name(), key), k -> r.aggregator().zero()), event);
        case SLIDING -> {
          // TOP_KEY names the window's ranking: an event whose key is literally that would overwrite it; left out.
          if (!key.equals(SlidingViews.TOP_KEY)) {
            windows.computeIfAbsent(new ViewKey(view.name(), key), k -> new WindowSums.Accumulator(view)).add(event);
          }
        }
        case LANDMARK -> landmarks.computeIfAbsent(new ViewKey(view.name(), key), k -> new LandmarkEvents.Builder(view)).add(event);
        default -> throw new IllegalStateException("bucket views are routed by the shared fold: " + view.name());
      }
    }
  }

  /** The views of the speed layer's own kinds reading the topic. */
  private List<Route> routes(String topic) {
    List<Route> out = new ArrayList<>();
    for (ViewDefinition view : fold.catalog().readingFrom(topic)) {
      if (!view.isBuckets()) {
        out.add(new Route(view, fold.aggregator(view.name())));
      }
    }
    return out;
  }

  /** The partition's partials, one per (view, key). */
  List<Tuple2<ViewKey, KeyPartial>> partials() {
    Map<ViewKey, KeyBatch> buckets = new HashMap<>();
    cells.forEach((cell, partial) -> buckets.merge(new ViewKey(cell.view(), cell.key()), KeyBatch.of(cell.bucketStart(), partial),
        (a, b) -> KeyBatch.merge(a, b, fold)));
    List<Tuple2<ViewKey, KeyPartial>> out = new ArrayList<>(buckets.size() + totals.size() + windows.size() + landmarks.size());
    buckets.forEach((k, v) -> out.add(new Tuple2<>(k, new KeyPartial.Buckets(v))));
    totals.forEach((k, v) -> out.add(new Tuple2<>(k, new KeyPartial.Total(v))));
    windows.forEach((k, v) -> out.add(new Tuple2<>(k, new KeyPartial.Window(v.sums()))));
    landmarks.forEach((k, v) -> out.add(new Tuple2<>(k, new KeyPartial.Landmark(v.events()))));
    return out;
  }
}
