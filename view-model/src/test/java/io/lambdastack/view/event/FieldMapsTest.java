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
    for (int n = 0; n <= 5; n++) { // 0..5: FieldMap; more below (Map.ofEntries)
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
  void aMapHandedItsArraysHoldsOnlyTheirFirstEntries() {
    String[] names = {"site", "sensorId", "leftover", null};
    Object[] values = {"north", "s-1", "x", null};
    Map<String, String> map = FieldMap.handedOver(names, values, 2);
    assertThat(map).hasSize(2).isEqualTo(Map.of("site", "north", "sensorId", "s-1")).hasSameHashCodeAs(Map.of("site", "north",
        "sensorId", "s-1"));
    assertThat(map.get("leftover")).isNull();
    assertThat(map.containsKey("leftover")).isFalse();
    assertThat(map.keySet()).containsExactly("site", "sensorId");
    assertThat(io.lambdastack.view.spark.SparkCopy.of(map)).isEqualTo(map); // events cross Spark's shuffles and caches serialized
    assertThatThrownBy(() -> FieldMap.handedOver(names, values, 5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ofDistinctHoldsTheFirstPairsAtAndAboveTheScannedMapsSize() {
    for (int n : new int[] {0, 1, FieldMap.MAX_FIELDS, FieldMap.MAX_FIELDS + 1, 12}) {
      String[] names = new String[n + 2];
      Object[] values = new Object[n + 2];
      Map<String, Object> expected = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        names[i] = "f" + i;
        values[i] = (double) i;
        expected.put(names[i], values[i]);
      }
      Map<String, Object> map = FieldMaps.ofDistinct(names, values, n);
      assertThat(map).as("n = %d", n).isEqualTo(expected).hasSize(n);
      assertThatThrownBy(() -> map.put("z", 0.0)).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void findsNamesThatAreNotTheSameReferenceAndKeepsTheGivenOrder() {
    String name = new String("sensorId"); // not the interned literal: found by equals, after the identity scan
    Map<String, String> map = FieldMaps.of(new Object[] {"site", "north", name, "s-1", "type", "reset"}, 3);
    assertThat(map.get("sensorId")).isEqualTo("s-1");
    assertThat(map.get("absent")).isNull();
    assertThat(map.containsKey("type")).isTrue();
    assertThat(map.containsKey("absent")).isFalse();
    assertThat(map.keySet()).containsExactly("site", "sensorId", "type");
    assertThat(map).isEqualTo(Map.of("type", "reset", "sensorId", "s-1", "site", "north")).hasSameHashCodeAs(
        Map.of("type", "reset", "sensorId", "s-1", "site", "north"));
    assertThatThrownBy(() -> map.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> map.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove("absent")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.putAll(Map.of())).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void upToEightFieldsAreScannedMoreAreHashedAndEveryCountSurvivesJavaSerialization() {
    Object[] kv = new Object[40];
    for (int i = 0; i < 20; i++) {
      kv[2 * i] = "f" + i;
      kv[2 * i + 1] = (double) i;
    }
    for (int n : new int[] {0, 3, 8, 9, 20}) {
      Map<String, Double> map = FieldMaps.of(kv, n);
      assertThat(map).hasSize(n);
      assertThat(map instanceof FieldMap).as("n = %d scanned", n).isEqualTo(n <= FieldMap.MAX_FIELDS);
      assertThat(io.lambdastack.view.spark.SparkCopy.of(new Event("e", 1, Map.of(), map)).values()).as("n = %d", n).isEqualTo(map);
    }
  }

  @Test
  void nullsAreRefusedAsMapOfRefusesThem() {
    assertThatThrownBy(() -> FieldMaps.of(new Object[] {"a", null}, 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> FieldMaps.of(new Object[] {null, 1.0}, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aDuplicateNameIsRefusedForAnyCount() {
    assertThatThrownBy(() -> FieldMaps.of(new Object[] {"a", 1.0, "a", 2.0}, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldMaps.of(new Object[] {"a", 1, "b", 2, "c", 3, "a", 4}, 4)).isInstanceOf(IllegalArgumentException.class);
    Object[] many = new Object[20];
    for (int i = 0; i < 10; i++) {
      many[2 * i] = i == 9 ? "f0" : "f" + i;
      many[2 * i + 1] = i;
    }
    assertThatThrownBy(() -> FieldMaps.of(many, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
