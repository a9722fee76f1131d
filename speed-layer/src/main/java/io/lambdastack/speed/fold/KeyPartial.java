package io.lambdastack.speed.fold;

import io.lambdastack.speed.landmark.LandmarkEvents;
import io.lambdastack.speed.sliding.WindowSums;
import io.lambdastack.speed.state.KeyBatch;
import io.lambdastack.view.aggregate.Aggregate;
import io.lambdastack.view.aggregate.ViewFold;
import java.io.Serializable;

/** What one micro-batch brings to one (view, key), in the form its view's kind needs; partials of a key merge. */
public sealed interface KeyPartial extends Serializable {
  /** A bucket view's partial aggregate per event-time bucket. */
  record Buckets(KeyBatch batch) implements KeyPartial {}

  /** A running view's partial aggregate. */
  record Total(Aggregate partial) implements KeyPartial {}

  /** A sliding view's invertible sums. */
  record Window(WindowSums sums) implements KeyPartial {}

  /** A landmark view's events (segments need them in order). */
  record Landmark(LandmarkEvents events) implements KeyPartial {}

  /** Two partials of the same (view, key); the first may be modified. */
  static KeyPartial merge(KeyPartial a, KeyPartial b, ViewFold fold) {
    if (a instanceof Buckets x) {
      return new Buckets(KeyBatch.merge(x.batch(), ((Buckets) b).batch(), fold));
    }
    if (a instanceof Total x) {
      return new Total(fold.merge(x.partial(), ((Total) b).partial()));
    }
    if (a instanceof Window x) {
      return new Window(x.sums().plus(((Window) b).sums()));
    }
    return new Landmark(((Landmark) a).events().merge(((Landmark) b).events()));
  }
}
