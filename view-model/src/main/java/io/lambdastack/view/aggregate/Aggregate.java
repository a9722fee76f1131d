package io.lambdastack.view.aggregate;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The state of one (view, key, bucket): how many events were folded in, the latest event time among them,
 * and one state per measure, in the view's measure order. Only {@link ViewAggregator} touches the states.
 */
public final class Aggregate implements Serializable {
  final String view;
  long events;
  long maxEventTime = Long.MIN_VALUE;
  final Serializable[] states;

  Aggregate(String view, Serializable[] states) {
    this.view = view;
    this.states = states;
  }

  /** The view whose measures these states are. */
  public String view() {
    return view;
  }

  public long events() {
    return events;
  }

  public long maxEventTime() {
    return maxEventTime;
  }

  @Override
  public String toString() {
    return "Aggregate{view=" + view + ", events=" + events + ", maxEventTime=" + maxEventTime + ", states=" + Arrays.toString(states) + "}";
  }
}
