package io.lambdastack.speed.landmark;

import io.lambdastack.speed.state.KeyOutcome;
import io.lambdastack.speed.state.ViewKey;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewAggregator;
import io.lambdastack.view.aggregate.ViewFold;
import io.lambdastack.view.event.Event;
import io.lambdastack.view.update.ViewUpdate;
import java.util.ArrayList;
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

  public LandmarkStateFunction(ViewFold fold) {
    this.fold = fold;
  }

  @Override
  public KeyOutcome call(ViewKey key, Optional<LandmarkEvents> batch, State<LandmarkSegment> state) {
    if (!batch.isPresent() || state.isTimingOut()) {
      return new KeyOutcome(key, List.of(), 0);
    }
    ViewAggregator aggregator = fold.aggregator(key.view());
    List<LandmarkEvents.Marked> events = batch.get().sorted();
    LandmarkSegment current = state.exists() ? state.get() : null;
    long start = current == null ? events.get(0).event().eventTime() : current.start();
    Aggregate open = current == null ? aggregator.zero() : aggregator.copy(current.open());
    List<ViewUpdate> updates = new ArrayList<>();
    long late = 0;
    for (LandmarkEvents.Marked m : events) {
      Event e = m.event();
      if (e.eventTime() < start) {
        late++;
      } else if (m.reset()) {
        if (e.eventTime() > start) {
          updates.add(update(key, start, e.eventTime(), open, true, aggregator));
        }
        start = e.eventTime();
        open = aggregator.zero();
      } else {
        aggregator.add(open, e);
      }
    }
    if (late < events.size()) {
      updates.add(update(key, start, open.events() == 0 ? start : open.maxEventTime() + 1, open, false, aggregator));
    }
    state.update(new LandmarkSegment(start, open));
    return new KeyOutcome(key, updates, late);
  }

  static ViewUpdate update(ViewKey key, long start, long end, Aggregate a, boolean closed, ViewAggregator aggregator) {
    Map<String, Object> measures = new LinkedHashMap<>(aggregator.results(a));
    measures.put(CLOSED, closed);
    return new ViewUpdate(key.view(), key.key(), start, end, a.events(), measures, aggregator.encode(a), "speed", 0);
  }
}
