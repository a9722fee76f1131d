package io.lambdastack.speed.fold;

import io.lambdastack.speed.input.KafkaSlice;
import io.lambdastack.speed.landmark.LandmarkEvents;
import io.lambdastack.speed.sliding.SlidingViews;
import io.lambdastack.speed.sliding.WindowSums;
import io.lambdastack.speed.state.KeyBatch;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.Rollup;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.definition.ViewDefinition;
import io.lambdastack.view.definition.ViewKind;
import io.lambdastack.view.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import scala.Tuple2;

/**
 * One pass over one partition of a micro-batch: every view, of every kind, folds the events it reads into
 * its partial per (view, key). Every view keys and buckets events by its definition ({@link ViewDefinition#keyOf},
 * {@link ViewDefinition#bucketStart}: the batch layer's routing) and folds them with the shared measures
 * ({@link ViewAggregator}); sliding views sum exactly, landmark views aggregate runs between resets and keep their
 * events compactly unless the task's Kafka slice can give them again ({@link LandmarkEvents}). Reading the
 * batch once, instead of once per kind, and shuffling only partials is what lets a micro-batch keep up.
 *
 * <p>Each view keeps its own table by key, and a key its current bucket: an event costs one lookup per view and, in a
 * view keyed by one text field, allocates nothing once its key and bucket were seen. Why: with a (view, key, bucket)
 * object per event and view, finding the cell cost more than folding into it (measured: 97 of the 380 ns per event
 * that one thread spent on the five default views went to a bucket view that only counts; 26 ns now).
 *
 * <p>A running or sliding view that a bucket view of the same key covers ({@link Rollup}: count, sum, mean, min, max)
 * folds no event of its own: its partial of a key is the merge of the bucket view's partials of that key. With the
 * default views that spares two of five views' work on every event (one thread, 1,000,000 events: 197 ns an event for
 * the five, 154 without the two).
 */
final class PartitionFold {
  private final ViewFold fold;
  /** Where the partition's events can be read again (landmark views then keep none); null: they cannot. */
  private final KafkaSlice slice;
  /** Only the landmark views, keeping their events: to read a slice again ({@link SliceRefold}). */
  private final boolean landmarksOnly;
  private final Map<String, Route<?>[]> routes = new HashMap<>();
  /** The topic of the last event, by reference, and its routes (null before the first event). */
  private String lastTopic;
  private Route<?>[] lastRoutes;
  private final List<Route<?>> all = new ArrayList<>();
  private final List<RolledUp> rolledUp = new ArrayList<>();

  /** @param slice where the partition's events can be read again ({@link LandmarkEvents.Builder#readAgainFrom}); null: nowhere */
  PartitionFold(ViewFold fold, KafkaSlice slice) {
    this(fold, slice, false);
  }

  private PartitionFold(ViewFold fold, KafkaSlice slice, boolean landmarksOnly) {
    this.fold = fold;
    this.slice = slice;
    this.landmarksOnly = landmarksOnly;
  }

  /** A fold of the landmark views only, each key's events kept: what a batch's first read found, for reading it again. */
  static PartitionFold keepingLandmarkEvents(ViewFold fold) {
    return new PartitionFold(fold, null, true);
  }

  /** Every (topic, event), in order: how many. */
  long addAll(java.util.Iterator<Tuple2<String, Event>> events) {
    long n = 0;
    while (events.hasNext()) {
      Tuple2<String, Event> e = events.next();
      add(e._1(), e._2());
      n++;
    }
    return n;
  }

  void add(String topic, Event event) {
    Route<?>[] views;
    if (lastRoutes != null && topic == lastTopic) { // a task's events mostly come from one topic, its name one String: no lookup by hash
      views = lastRoutes;
    } else {
      views = routes.get(topic);
      if (views == null) {
        views = routes(topic);
        routes.put(topic, views);
      }
      lastTopic = topic;
      lastRoutes = views;
    }
    String key = null;
    for (Route<?> r : views) {
      if (!r.keyAsBefore) {
        key = r.view.keyOf(event);
      }
      if (key != null) { // a key field is missing: the event is not in this view (as in the batch layer)
        r.add(key, event);
      }
    }
  }

  /**
   * Every view reading the topic that folds events, each with its table. A running or sliding view that a bucket view
   * of the same key covers ({@link Rollup}) folds none: its partials are rolled up from that view's at the end.
   */
  private Route<?>[] routes(String topic) {
    List<ViewDefinition> views = fold.catalog().readingFrom(topic);
    List<Route<?>> out = new ArrayList<>();
    if (landmarksOnly) {
      views.stream().filter(v -> v.kind() == ViewKind.LANDMARK).forEach(v -> out.add(route(v, null)));
      all.addAll(out);
      return keyedAlikeTogether(out);
    }
    Map<String, Route<KeyBuckets>> buckets = new HashMap<>();
    for (ViewDefinition view : views) {
      if (view.isBuckets()) {
        Route<KeyBuckets> r = bucketRoute(view, fold.aggregator(view.name()));
        buckets.put(view.name(), r);
        out.add(r);
      }
    }
    for (ViewDefinition view : views) {
      if (!view.isBuckets()) {
        Optional<RolledUp> rolled = rolledUp(view, buckets);
        if (rolled.isPresent()) {
          rolledUp.add(rolled.get());
        } else if (view.kind() == ViewKind.LANDMARK) {
          out.add(landmarkRoute(view, fold.aggregator(view.name()), buckets));
        } else {
          out.add(route(view, fold.aggregator(view.name())));
        }
      }
    }
    all.addAll(out);
    return keyedAlikeTogether(out);
  }

  /**
   * The routes with views of the same key fields next to each other, each after the first of them marked to take the
   * key it found: an event's key is then read (or, of several fields, joined) once for those views. A route that rolls
   * its partials up from another's as it goes comes before that one (the other always has the same key fields).
   */
  private static Route<?>[] keyedAlikeTogether(List<Route<?>> routes) {
    Map<List<String>, List<Route<?>>> byKey = new java.util.LinkedHashMap<>();
    for (Route<?> r : routes) {
      byKey.computeIfAbsent(r.view.keyFields(), k -> new ArrayList<>()).add(r);
    }
    List<Route<?>> out = new ArrayList<>();
    for (List<Route<?>> alike : byKey.values()) {
      // A route that rolls up from another's partials as it goes reads each event first (the sort is stable).
      alike.sort(java.util.Comparator.comparing(r -> r.readsBefore == null));
      for (int i = 0; i < alike.size(); i++) {
        alike.get(i).keyAsBefore = i > 0;
        out.add(alike.get(i));
      }
    }
    return out.toArray(Route[]::new);
  }

  /** The view's partials from a covering bucket view's, if it is a running or sliding view and one covers it. */
  private Optional<RolledUp> rolledUp(ViewDefinition view, Map<String, Route<KeyBuckets>> buckets) {
    if (view.kind() != ViewKind.RUNNING && view.kind() != ViewKind.SLIDING) {
      return Optional.empty(); // a landmark segment needs its events in order
    }
    ViewAggregator target = fold.aggregator(view.name());
    for (Route<KeyBuckets> source : buckets.values()) {
      Optional<Rollup> rollup = Rollup.of(target, fold.aggregator(source.view.name()));
      if (rollup.isPresent()) {
        return Optional.of(new RolledUp(rollup.get(), source, target));
      }
    }
    return Optional.empty();
  }

  /**
   * A landmark view's route. When a bucket view of the same key covers its measures ({@link Rollup}), each key's first
   * run (its readings before the task's first reset of the key) is rolled up from that view's buckets instead of
   * folded again ({@link LandmarkEvents.Builder}); the landmark route then reads each event before the bucket route
   * does ({@link #keyedAlikeTogether}), so that a reset's roll-up does not count the reset itself.
   */
  private Route<?> landmarkRoute(ViewDefinition view, ViewAggregator aggregator, Map<String, Route<KeyBuckets>> buckets) {
    for (Route<KeyBuckets> source : buckets.values()) {
      Optional<Rollup> rollup = Rollup.of(aggregator, fold.aggregator(source.view.name()));
      if (rollup.isPresent()) {
        Route<LandmarkEvents.Builder> r = new Route<>(view, ANY_KEY,
            key -> new LandmarkEvents.Builder(view, aggregator, () -> rollUp(source, key, rollup.get(), aggregator)).readAgainFrom(slice),
            LandmarkEvents.Builder::add, events -> new KeyPartial.Landmark(events.events()));
        r.readsBefore = source;
        return r;
      }
    }
    return route(view, aggregator);
  }

  /** The landmark views whose first runs are rolled up from a bucket view's partials as they go, by name: for tests. */
  List<String> landmarksRolledUp() {
    return all.stream().filter(r -> r.readsBefore != null).map(r -> r.view.name()).toList();
  }

  /** The views whose partials are rolled up from a bucket view's, by name: for tests. */
  List<String> rolledUpViews() {
    return rolledUp.stream().map(r -> r.rollup.target().name()).toList();
  }

  /**
   * How each kind keeps a key's partial: created at the key's first event, each event folded in, finished for the shuffle.
   * A null aggregator: a landmark view's events only, without runs.
   */
  private Route<?> route(ViewDefinition view, ViewAggregator aggregator) {
    return switch (view.kind()) {
      case BUCKETS -> bucketRoute(view, aggregator);
      case RUNNING -> new Route<>(view, ANY_KEY, key -> aggregator.zero(), aggregator::add, KeyPartial.Total::new);
      // TOP_KEY names the window's ranking: an event keyed so would overwrite it, so it is left out.
      case SLIDING -> new Route<>(view, key -> !key.equals(SlidingViews.TOP_KEY), key -> new WindowSums.Accumulator(view),
          WindowSums.Accumulator::add, sums -> new KeyPartial.Window(sums.sums()));
      case LANDMARK -> new Route<>(view, ANY_KEY, key -> new LandmarkEvents.Builder(view, aggregator).readAgainFrom(slice), LandmarkEvents.Builder::add,
          events -> new KeyPartial.Landmark(events.events()));
    };
  }

  private static Route<KeyBuckets> bucketRoute(ViewDefinition view, ViewAggregator aggregator) {
    return new Route<>(view, ANY_KEY, key -> new KeyBuckets(), (k, e) -> k.add(e, view, aggregator), k -> new KeyPartial.Buckets(k.batch));
  }

  private static final Predicate<String> ANY_KEY = key -> true;

  /** The partition's partials, one per (view, key). */
  List<Tuple2<ViewKey, KeyPartial>> partials() {
    List<Tuple2<ViewKey, KeyPartial>> out = new ArrayList<>();
    for (Route<?> r : all) {
      r.emit(out);
    }
    for (RolledUp r : rolledUp) {
      r.emit(out);
    }
    return out;
  }

  /**
   * A running or sliding view's partials, one per key, rolled up from a bucket view's buckets of the key. Read only:
   * the bucket view's partials go on as they are.
   */
  private static final class RolledUp {
    final Rollup rollup;
    private final Route<KeyBuckets> source;
    private final ViewAggregator aggregator;

    RolledUp(Rollup rollup, Route<KeyBuckets> source, ViewAggregator aggregator) {
      this.rollup = rollup;
      this.source = source;
      this.aggregator = aggregator;
    }

    void emit(List<Tuple2<ViewKey, KeyPartial>> out) {
      ViewDefinition view = rollup.target();
      source.byKey.forEach((key, buckets) -> {
        if (view.kind() == ViewKind.SLIDING && key.equals(SlidingViews.TOP_KEY)) {
          return; // as the sliding route leaves it out
        }
        out.add(new Tuple2<>(new ViewKey(view.name(), key), finish(view, buckets.rollUp(rollup, aggregator))));
      });
    }

    private KeyPartial finish(ViewDefinition view, Aggregate total) {
      if (view.kind() == ViewKind.RUNNING) {
        return new KeyPartial.Total(total);
      }
      WindowSums.Accumulator sums = new WindowSums.Accumulator(view);
      sums.addAll(total, aggregator);
      return new KeyPartial.Window(sums.sums());
    }
  }

  /** One view's partials of this partition, by key. */
  private static final class Route<S> {
    final ViewDefinition view;
    private final Predicate<String> keeps;
    private final Function<String, S> create;
    private final BiConsumer<S, Event> fold;
    private final Function<S, KeyPartial> finish;
    private final Map<String, S> byKey = new HashMap<>();
    /** The route before this one in its topic's array keys by the same fields: this one takes the key it read. */
    boolean keyAsBefore;

    /** The bucket route whose partials this one rolls its own up from as it goes (it reads each event first), or null. */
    Route<KeyBuckets> readsBefore;

    Route(ViewDefinition view, Predicate<String> keeps, Function<String, S> create, BiConsumer<S, Event> fold,
        Function<S, KeyPartial> finish) {
      this.view = view;
      this.keeps = keeps;
      this.create = create;
      this.fold = fold;
      this.finish = finish;
    }

    void add(String key, Event event) {
      if (!keeps.test(key)) {
        return;
      }
      S partial = byKey.get(key);
      if (partial == null) {
        partial = create.apply(key);
        byKey.put(key, partial);
      }
      fold.accept(partial, event);
    }

    void emit(List<Tuple2<ViewKey, KeyPartial>> out) {
      byKey.forEach((key, partial) -> out.add(new Tuple2<>(new ViewKey(view.name(), key), finish.apply(partial))));
    }
  }

  /** A bucket route's partials of the key so far, rolled up into the target view's aggregate (zero when none). */
  private static Aggregate rollUp(Route<KeyBuckets> source, String key, Rollup rollup, ViewAggregator target) {
    KeyBuckets buckets = source.byKey.get(key);
    return buckets == null ? target.zero() : buckets.rollUp(rollup, target);
  }

  /** A key's buckets, with the one its last event fell into at hand: a key's events mostly share a bucket. */
  private static final class KeyBuckets {
    final KeyBatch batch = new KeyBatch();
    long start;
    Aggregate current;

    /** The buckets merged into one aggregate of the roll-up's target view; the buckets are left as they are. */
    Aggregate rollUp(Rollup rollup, ViewAggregator target) {
      Aggregate total = target.zero();
      for (Aggregate part : batch.buckets().values()) {
        rollup.add(total, part);
      }
      return total;
    }

    /** Into its bucket by the view's definition, as the batch layer's {@code ViewFold} routes it. */
    void add(Event event, ViewDefinition view, ViewAggregator aggregator) {
      long bucket = view.bucketStart(event.eventTime());
      if (current == null || start != bucket) {
        current = batch.bucket(bucket, aggregator);
        start = bucket;
      }
      aggregator.add(current, event);
    }
  }
}
