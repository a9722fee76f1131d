package io.lambdastack.speed.metrics;

import io.lambdastack.speed.state.KeyOutcome;
import java.io.Serializable;

/** The accumulators an output counts its outcomes into, captured for its tasks ({@link SpeedCounters} stays on the driver). */
public record OutcomeCounters(CountsByName latePerView, CountsByName readAgainPerView) implements Serializable {
  public static OutcomeCounters of(SpeedCounters c) {
    return new OutcomeCounters(c.latePerView, c.readAgainPerView);
  }

  public void count(KeyOutcome outcome) {
    if (outcome.lateEvents() > 0) {
      latePerView.add(outcome.key().view(), outcome.lateEvents());
    }
    if (outcome.readAgain()) {
      readAgainPerView.add(outcome.key().view(), 1);
    }
  }

  /** Whether {@link #count} counts anything of it. */
  public static boolean counted(KeyOutcome outcome) {
    return outcome.lateEvents() > 0 || outcome.readAgain();
  }
}
