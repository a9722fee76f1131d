package io.lambdastack.view.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import org.apache.datasketches.kll.KllDoublesSketch;

/** Compares two states of the same measure at the level of the sketch, not only the answer. */
public final class SketchAssertions {
  private SketchAssertions() {}

  public static void assertSameSketch(String what, Serializable a, Serializable b) {
    if (a instanceof DistinctCount.State ha) {
      DistinctCount.State hb = (DistinctCount.State) b;
      // Same registers (HLL mode) or same coupons (list/set modes), whatever the split.
      assertThat(ha.sketch().getCompositeEstimate()).as(what).isEqualTo(hb.sketch().getCompositeEstimate());
      assertThat(registers(ha)).as(what + " registers").isEqualTo(registers(hb));
    } else if (a instanceof Quantiles.State qa) {
      KllDoublesSketch sa = qa.sketch;
      KllDoublesSketch sb = ((Quantiles.State) b).sketch;
      assertThat(sa.getN()).as(what + " n").isEqualTo(sb.getN());
      if (sa.isEmpty()) {
        return;
      }
      assertThat(sa.getMinValue()).as(what + " min").isEqualTo(sb.getMinValue());
      assertThat(sa.getMaxValue()).as(what + " max").isEqualTo(sb.getMaxValue());
      double[] ranks = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};
      if (!sa.isEstimationMode() && !sb.isEstimationMode()) {
        // n <= k: both sketches hold every value, so every quantile is identical.
        assertThat(sa.getQuantiles(ranks)).as(what + " quantiles").isEqualTo(sb.getQuantiles(ranks));
      } else {
        double eps = sa.getNormalizedRankError(false) + sb.getNormalizedRankError(false);
        for (double r : ranks) {
          double rankOfOther = sa.getRank(sb.getQuantile(r));
          assertThat(Math.abs(rankOfOther - r)).as(what + " rank " + r).isLessThanOrEqualTo(eps);
        }
      }
    }
  }

  /** History-independent content: sorted coupons (list/set modes) or registers (HLL mode). */
  private static java.util.List<Long> registers(DistinctCount.State s) {
    return org.apache.datasketches.hll.HllRegisters.content(s.sketch());
  }
}
