package io.lambdastack.view.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The immutable field maps events are built with (JSON parsing, the recompute's rows, landmark events). */
class FieldMapsTest {
  @Test
  void holdsTheFirstPairsForAnyCountAndIsImmutable() {
    Object[] kv = {"a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "e", 5.0, "ignored", 6.0};
    for (int n = 0; n <= 5; n++) {
      Map<String, Double> expected = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        expected.put((String) kv[2 * i], (Double) kv[2 * i + 1]);
      }
      Map<String, Double> map = FieldMaps.of(kv, n);
      assertThat(map).as("n = %d", n).isEqualTo(expected);
      assertThatThrownBy(() -> map.put("z", 0.0)).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void aDuplicateNameIsRefusedForAnyCount() {
    assertThatThrownBy(() -> FieldMaps.of(new Object[] {"a", 1.0, "a", 2.0}, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldMaps.of(new Object[] {"a", 1, "b", 2, "c", 3, "a", 4}, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
