package io.lambdastack.speed.landmark;

import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.update.ViewUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.streaming.State;

/**
 * The {@code mapWithState} function of landmark views: segments of a key's events from one reset marker to
 * the next, in event time. A batch's events are applied in event-time order (a reset before the readings of
 * the same instant), so the order inside a batch never matters. A reset closes the open segment
 * {@code [start, reset)}: it is published with {@code closed: true} and a new segment opens at the reset. The
 * open segment is published after every batch that changed it ({@code closed: false}, spanning up to its
 * latest event). Events before the open segment's start belong to a closed segment: they are late, counted
 * and left to the batch layer. Reset markers themselves are not counted in a segment.
 */
public final class LandmarkStateFunction
    implements Function3<ViewKey, Optional<LandmarkEvents>, State<LandmarkSegment>, KeyOutcome> {
  public static final String CLOSED = "closed";
  private final ViewFold fold;
  private final ReadAgain readAgain;

  /**
   * Reads a landmark view's events of one key again from a slice of Kafka, for a batch whose runs cannot be used and
   * whose parts kept no events ({@link LandmarkEvents#unkept}). Every landmark key of the slice, read once and folded
   * as the batch's first read folded them, gives the same events.
   */
  public interface ReadAgain extends java.io.Serializable {
    /** The key's events in the slice, kept, and the records this call read for them. */
    Found events(ViewKey key, io.lambdastack.speed.input.KafkaSlice slice);
  }

  /**
   * A key's events found in a slice read again (none: a {@code LandmarkEvents} of size 0, or null), and how many records
   * were read from Kafka to find them: the slice's when this call read it, 0 when the read of another call was used.
   */
  public record Found(LandmarkEvents events, long recordsRead) {}

  /** For batches whose parts keep their events (inputs that cannot be read again, and tests). */
  public LandmarkStateFunction(ViewFold fold) {
    this(fold, (key, slice) -> {
      throw new IllegalStateException("no way to read " + key.view() + "/" + key.key() + "'s events again from " + slice);
    });
  }

  public LandmarkStateFunction(ViewFold fold, ReadAgain readAgain) {
    this.fold = fold;
    this.readAgain = readAgain;
  }

  @Override
  public KeyOutcome call(ViewKey key, Optional<LandmarkEvents> batch, State<LandmarkSegment> state) {
    if (!batch.isPresent() || state.isTimingOut()) {
      return new KeyOutcome(key, List.of(), 0);
    }
    ViewAggregator aggregator = fold.aggregator(key.view());
    LandmarkSegment current = state.exists() ? state.get() : null;
    Walk walk = fromRuns(batch.get(), current, aggregator);
    boolean wasReadAgain = false;
    long recordsRead = 0;
    if (walk == null) {
      LandmarkEvents events = batch.get();
      if (!events.unkept().isEmpty()) {
        List<LandmarkEvents> found = new ArrayList<>();
        for (io.lambdastack.speed.input.KafkaSlice slice : events.unkept()) {
          Found f = readAgain.events(key, slice);
          found.add(f.events() != null ? f.events() : new LandmarkEvents.Builder(fold.catalog().view(key.view()).orElseThrow()).events());
          recordsRead += f.recordsRead();
        }
        events = events.withEventsReadAgain(found);
        wasReadAgain = true;
      }
      walk = fromEvents(events, current, aggregator);
    }
    long start = walk.start();
    long[] resets = walk.resets();
    Aggregate[] segments = walk.segments();
    long late = walk.late();
    List<ViewUpdate> updates = new ArrayList<>();
    long segmentStart = start;
    for (int k = 0; k < resets.length; k++) {
      if (resets[k] > segmentStart) { // a reset at the segment's own start closes nothing (and drops what it held)
        updates.add(update(key, segmentStart, resets[k], orZero(segments[k], aggregator), true, aggregator));
      }
      segmentStart = resets[k];
    }
    Aggregate open = orZero(segments[resets.length], aggregator);
    if (late < walk.events()) {
      updates.add(update(key, segmentStart, open.events() == 0 ? segmentStart : open.maxEventTime() + 1, open, false, aggregator));
    }
    state.update(new LandmarkSegment(segmentStart, open));
    return new KeyOutcome(key, updates, late, wasReadAgain, recordsRead);
  }

  /**
   * What the walk in event-time order gives a batch: the start it began with, its resets at or after it (sorted), the
   * aggregate of each segment they bound (index i: after i of them; the first begins with the open segment's), how
   * many of its events were late, and how many it had.
   */
  record Walk(long start, long[] resets, Aggregate[] segments, long late, long events) {}

  /**
   * The walk in event-time order that defines the segments, done without sorting the events: the open segment's
   * start only grows, so an event is late exactly when it is before the start the batch began with, every reset
   * at or after that start ends a segment, and a reading belongs to the segment of the last such reset at or
   * before it (a reset comes before the readings of its instant).
   */
  static Walk fromEvents(LandmarkEvents batch, LandmarkSegment current, ViewAggregator aggregator) {
    LandmarkEvents.Decoded events = batch.decoded();
    long start = current == null ? earliest(events) : current.start();
    long[] resets = resetsFrom(events, start);
    Aggregate[] segments = new Aggregate[resets.length + 1];
    segments[0] = current == null ? null : aggregator.copy(current.open());
    long late = 0;
    for (int i = 0; i < events.size(); i++) {
      long time = events.time(i);
      if (time < start) {
        late++;
      } else if (!events.reset(i)) {
        int k = segmentOf(resets, time);
        if (segments[k] == null) {
          segments[k] = aggregator.zero();
        }
        aggregator.add(segments[k], events.event(i));
      }
    }
    return new Walk(start, resets, segments, late, events.size());
  }

  /**
   * The same walk from the batch's runs, without decoding an event: each run's readings lie in one segment, or are
   * all late, unless the start or a reset falls inside the run (after its earliest reading, at or before its latest);
   * then null, and the events are walked. The runs are only read (Spark may hand the same partials to a rerun).
   */
  static Walk fromRuns(LandmarkEvents batch, LandmarkSegment current, ViewAggregator aggregator) {
    if (!batch.hasRuns()) {
      return null;
    }
    long[] all = batch.resetTimes();
    List<LandmarkEvents.Run> runs = batch.runs();
    long start;
    if (current != null) {
      start = current.start();
    } else {
      start = Long.MAX_VALUE;
      for (LandmarkEvents.Run r : runs) {
        start = Math.min(start, r.min());
      }
      for (long reset : all) {
        start = Math.min(start, reset);
      }
    }
    long late = 0;
    int from = 0;
    for (long reset : all) {
      if (reset < start) {
        late++;
      } else {
        all[from++] = reset;
      }
    }
    long[] resets = Arrays.copyOf(all, from);
    Arrays.sort(resets);
    Aggregate[] segments = new Aggregate[resets.length + 1];
    segments[0] = current == null ? null : aggregator.copy(current.open());
    long events = all.length;
    for (LandmarkEvents.Run r : runs) {
      long readings = r.aggregate().events();
      events += readings;
      if (r.max() < start) {
        late += readings;
        continue;
      }
      int k = segmentOf(resets, r.min());
      if (r.min() < start || k != segmentOf(resets, r.max())) {
        return null;
      }
      Aggregate part = aggregator.copy(r.aggregate());
      segments[k] = segments[k] == null ? part : aggregator.merge(segments[k], part);
    }
    return new Walk(start, resets, segments, late, events);
  }

  private static long earliest(LandmarkEvents.Decoded events) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < events.size(); i++) {
      min = Math.min(min, events.time(i));
    }
    return min;
  }

  /** The times of the batch's resets at or after {@code start}, in order: the ends of the batch's segments. */
  private static long[] resetsFrom(LandmarkEvents.Decoded events, long start) {
    int n = 0;
    for (int i = 0; i < events.size(); i++) {
      if (events.reset(i) && events.time(i) >= start) {
        n++;
      }
    }
    long[] resets = new long[n];
    n = 0;
    for (int i = 0; i < events.size(); i++) {
      if (events.reset(i) && events.time(i) >= start) {
        resets[n++] = events.time(i);
      }
    }
    Arrays.sort(resets);
    return resets;
  }

  /** The index of the reading's segment among the batch's resets ({@link LandmarkEvents#segmentOf}). */
  private static int segmentOf(long[] resets, long time) {
    return LandmarkEvents.segmentOf(resets, resets.length, time);
  }

  private static Aggregate orZero(Aggregate a, ViewAggregator aggregator) {
    return a == null ? aggregator.zero() : a;
  }

  static ViewUpdate update(ViewKey key, long start, long end, Aggregate a, boolean closed, ViewAggregator aggregator) {
    Map<String, Object> measures = new LinkedHashMap<>(aggregator.results(a));
    measures.put(CLOSED, closed);
    return new ViewUpdate(key.view(), key.key(), start, end, a.events(), measures, aggregator.encode(a), "speed", 0);
  }
}
