package io.lambdastack.speed.metrics;

import io.lambdastack.speed.state.KeyOutcome;
import java.io.Serializable;
import org.apache.spark.util.LongAccumulator;

/** The accumulators an output counts its outcomes into, captured for its tasks ({@link SpeedCounters} stays on the driver). */
public record OutcomeCounters(CountsByName latePerView, CountsByName readAgainPerView, LongAccumulator recordsReadAgain)
    implements Serializable {
  public static OutcomeCounters of(SpeedCounters c) {
    return new OutcomeCounters(c.latePerView, c.readAgainPerView, c.recordsReadAgain);
  }

  public void count(KeyOutcome outcome) {
    if (outcome.lateEvents() > 0) {
      latePerView.add(outcome.key().view(), outcome.lateEvents());
    }
    if (outcome.readAgain()) {
      readAgainPerView.add(outcome.key().view(), 1);
    }
    if (outcome.recordsReadAgain() > 0) {
      recordsReadAgain.add(outcome.recordsReadAgain());
    }
  }

  /** Whether {@link #count} counts anything of it. */
  public static boolean counted(KeyOutcome outcome) {
    return outcome.lateEvents() > 0 || outcome.readAgain() || outcome.recordsReadAgain() > 0;
  }
}
