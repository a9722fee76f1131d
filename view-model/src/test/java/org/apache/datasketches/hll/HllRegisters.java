package org.apache.datasketches.hll;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Test-only window on an HLL sketch's content: the sorted (slot, value) pairs of its coupons (list/set modes)
 * or registers (HLL mode). Unlike the serialized bytes, this does not depend on update order or HIP history.
 * Lives in DataSketches' package because the pair iterator is package-private.
 */
public final class HllRegisters {
  private HllRegisters() {}

  public static List<Long> content(HllSketch sketch) {
    List<Long> pairs = new ArrayList<>();
    PairIterator it = sketch.iterator();
    while (it.nextValid()) {
      pairs.add(((long) it.getKey() << 8) | it.getValue());
    }
    Collections.sort(pairs);
    return pairs;
  }
}
