package io.lambdastack.batch.recompute;

import io.lambdastack.batch.archive.ArchivedRange;
import io.lambdastack.view.definition.ViewDefinition;
import java.util.Collection;
import java.util.OptionalLong;

/**
 * The batch horizon of a view: the end of the last bucket the master dataset covers completely. The dataset
 * has read each source partition up to some event time; the lowest of those, W, bounds what has surely
 * arrived everywhere. A bucket is complete when the speed layer would have closed it at W
 * ({@code end + lateness <= W}), so H = the largest bucket end with {@code H + lateness <= W}. Serving takes
 * buckets ending at or before H from the batch layer, later ones from the speed layer.
 */
public final class Horizon {
  private Horizon() {}

  /** Empty when no partition has events yet. */
  public static OptionalLong of(ViewDefinition view, Collection<ArchivedRange> coveredPartitions) {
    OptionalLong w = coveredPartitions.stream().filter(r -> r.rows() > 0).mapToLong(ArchivedRange::maxEventTime).min();
    if (w.isEmpty()) {
      return OptionalLong.empty();
    }
    long width = view.bucketWidthMillis();
    return OptionalLong.of(Math.floorDiv(w.getAsLong() - view.latenessMillis(), width) * width);
  }
}
