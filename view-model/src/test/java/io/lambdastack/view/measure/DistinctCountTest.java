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
  void aCopyAndADecodedStateStillCountValuesTheirSourceHad() throws Exception {
    DistinctCount.State state = measure.zero();
    String v = "sensor-001";
    measure.add(state, event(v));
    DistinctCount.State copy = measure.copy(state);
    measure.add(copy, event(v));
    measure.add(copy, event("sensor-002"));
    assertThat(measure.result(copy)).isEqualTo(2L);
    assertThat(measure.result(state)).isEqualTo(1L);
  }

  private static Event event(String d) {
    return new Event("e", 1, Map.of("d", d), Map.of());
  }
}
