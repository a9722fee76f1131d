package io.lambdastack.ingestion.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdastack.view.event.Event;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensorTemperatureGeneratorTest {
  @Test
  void roundRobinOverSensorsWithUniqueIds() {
    SensorTemperatureGenerator g = new SensorTemperatureGenerator(3, 1);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      Event e = g.next(0);
      assertThat(e.attributes()).containsEntry("sensorId", SensorTemperatureGenerator.sensorId(i % 3))
          .containsEntry("site", SensorTemperatureGenerator.siteOf(i % 3));
      ids.add(e.id());
    }
    assertThat(ids).hasSize(9);
  }

  @Test
  void afternoonIsWarmerThanNight() {
    assertThat(SensorTemperatureGenerator.diurnal(15 * 3_600_000L)).isEqualTo(23.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(SensorTemperatureGenerator.diurnal(3 * 3_600_000L)).isEqualTo(7.0, org.assertj.core.data.Offset.offset(1e-9));
    SensorTemperatureGenerator g = new SensorTemperatureGenerator(1, 7);
    double night = 0;
    double afternoon = 0;
    for (int i = 0; i < 100; i++) {
      night += g.next(3 * 3_600_000L).number("temperature");
      afternoon += g.next(15 * 3_600_000L).number("temperature");
    }
    assertThat(afternoon / 100 - night / 100).isBetween(15.0, 17.0);
  }

  @Test
  void sameSeedSameStream() {
    SensorTemperatureGenerator a = new SensorTemperatureGenerator(5, 42);
    SensorTemperatureGenerator b = new SensorTemperatureGenerator(5, 42);
    for (int i = 0; i < 20; i++) {
      assertThat(a.next(i)).isEqualTo(b.next(i));
    }
  }
}
