package io.lambdastack.infra.kappa;

import io.lambdastack.view.update.ViewUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Lambda against Kappa on the same data: the batch snapshot's buckets of a view against the buckets a
 * reprocess published. Equal means the same events and the same answers; a quantiles answer is compared by
 * its n only, since a KLL sketch that compacted depends on the order it saw the values in (within its
 * documented rank error either way).
 *
 * @param differing cells (key@bucketStart) whose events or answers differ, at most 20 listed
 */
public record ViewComparison(long equal, long differ, long onlyInBatch, long onlyInKappa, long batchEvents, long kappaEvents,
    List<String> differing) {

  /** @param batch and {@code kappa}: cell (key@bucketStart) → its update */
  public static ViewComparison of(Map<String, ViewUpdate> batch, Map<String, ViewUpdate> kappa) {
    long equal = 0;
    long differ = 0;
    long onlyBatch = 0;
    long onlyKappa = 0;
    List<String> differing = new ArrayList<>();
    TreeSet<String> cells = new TreeSet<>(batch.keySet());
    cells.addAll(kappa.keySet());
    for (String cell : cells) {
      ViewUpdate b = batch.get(cell);
      ViewUpdate k = kappa.get(cell);
      if (b == null) {
        onlyKappa++;
      } else if (k == null) {
        onlyBatch++;
      } else if (b.events() == k.events() && sameAnswers(b.measures(), k.measures())) {
        equal++;
      } else {
        differ++;
        if (differing.size() < 20) {
          differing.add(cell + " batch " + b.events() + " events, kappa " + k.events());
        }
      }
    }
    return new ViewComparison(equal, differ, onlyBatch, onlyKappa,
        batch.values().stream().mapToLong(ViewUpdate::events).sum(), kappa.values().stream().mapToLong(ViewUpdate::events).sum(),
        differing);
  }

  static boolean sameAnswers(Map<String, Object> a, Map<String, Object> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> e : a.entrySet()) {
      Object x = e.getValue();
      Object y = b.get(e.getKey());
      if (x instanceof Map<?, ?> qx && y instanceof Map<?, ?> qy && qx.containsKey("n")) {
        if (!Objects.equals(qx.get("n"), qy.get("n"))) {
          return false;
        }
      } else if (!Objects.equals(x, y)) {
        return false;
      }
    }
    return true;
  }

  public boolean identical() {
    return differ == 0 && onlyInBatch == 0 && onlyInKappa == 0;
  }

  @Override
  public String toString() {
    return String.format("%,d buckets equal, %,d differ, %,d only in batch, %,d only in kappa; events batch %,d, kappa %,d (difference %,d: late events, which only the batch layer includes)%s",
        equal, differ, onlyInBatch, onlyInKappa, batchEvents, kappaEvents, batchEvents - kappaEvents,
        differing.isEmpty() ? "" : "; e.g. " + differing.subList(0, Math.min(3, differing.size())));
  }
}
