package io.lambdastack.batch.recompute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The immutable maps a projected row's event is rebuilt with, for every count of fields present. */
class ViewColumnsTest {
  @Test
  void immutableMapHoldsTheFirstPairsForAnyCount() {
    Object[] kv = {"a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "e", 5.0, null, null};
    for (int n = 0; n <= 5; n++) {
      Map<String, Double> expected = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        expected.put((String) kv[2 * i], (Double) kv[2 * i + 1]);
      }
      Map<String, Double> map = ViewColumns.immutableMap(kv, n);
      assertThat(map).as("n = %d", n).isEqualTo(expected);
      assertThatThrownBy(() -> map.put("z", 0.0)).isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
