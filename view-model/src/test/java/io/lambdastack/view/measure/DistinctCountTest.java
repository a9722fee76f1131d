package io.lambdastack.view.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.definition.MeasureKind;
import io.lambdastack.view.definition.MeasureSpec;
import io.lambdastack.view.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.datasketches.hll.Union;
import org.junit.jupiter.api.Test;

/**
 * distinct(field) skips a value it added a moment ago (the same String object): the sketch's bytes are those of
 * a union that was handed every value, repeats and all, in every mode of the sketch (list, set, HLL).
 */
class DistinctCountTest {
  private final DistinctCount measure = new DistinctCount(new MeasureSpec("d", MeasureKind.DISTINCT, "d"));

  @Test
  void repeatsByReferenceLeaveTheSketchAsAddingEveryValueDoes() {
    for (int distinct : new int[] {3, 17, 200, 5_000}) { // list mode, set mode, HLL mode
      Random random = new Random(distinct);
      List<String> values = new ArrayList<>();
      for (int i = 0; i < distinct; i++) {
        values.add("v" + i);
      }
      DistinctCount.State state = measure.zero();
      Union everyValue = new Union(DistinctCount.LG_K);
      for (int i = 0; i < 40_000; i++) {
        // Mostly the same objects again (skipped when recent), sometimes an equal but new String (hashed again).
        String v = values.get(i < distinct ? i : random.nextInt(Math.min(distinct, 1 + random.nextInt(40))));
        String added = random.nextInt(10) == 0 ? new String(v) : v;
        measure.add(state, event(added));
        everyValue.update(added);
      }
      assertThat(state.union.toCompactByteArray()).as("%d distinct", distinct).isEqualTo(everyValue.toCompactByteArray());
      assertThat(measure.result(state)).isEqualTo(Math.round(everyValue.getCompositeEstimate()));
    }
  }

  @Test
  void aCopiedAMergedAndADecodedStateAddAsTheirUnionTakingEveryValueDoes() throws Exception {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      values.add("v" + i);
    }
    DistinctCount.State source = measure.zero();
    for (String v : values.subList(0, 150)) {
      measure.add(source, event(v));
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      measure.write(source, out);
    }
    List<java.util.function.Supplier<DistinctCount.State>> ways = List.of(
        () -> measure.copy(source),
        () -> measure.merge(measure.zero(), source),
        () -> {
          try {
            return measure.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    for (java.util.function.Supplier<DistinctCount.State> way : ways) {
      DistinctCount.State skipping = way.get();
      DistinctCount.State everyValue = way.get();
      for (int i = 0; i < 2_000; i++) { // the same objects again and again, old values and new ones
        String v = values.get((i * 7) % values.size());
        measure.add(skipping, event(v));
        everyValue.union.update(v);
      }
      assertThat(skipping.union.toCompactByteArray()).isEqualTo(everyValue.union.toCompactByteArray());
      assertThat(measure.result(skipping)).isEqualTo(measure.result(everyValue)).isEqualTo(300L);
    }
  }

  private static Event event(String d) {
    return new Event("e", 1, Map.of("d", d), Map.of());
  }
}
