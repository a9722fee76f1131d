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

  /** Mean temperature of one sensor over [from, to), one reading per second of event time. */
  static double mean(SensorTemperatureGenerator g, int sensors, String sensor, long from, long to) {
    double sum = 0;
    int n = 0;
    for (long t = from; t < to; t += 1000 / sensors) {
      Event e = g.next(t);
      if (e.attributes().get("sensorId").equals(sensor) && e.number("temperature") != null) {
        sum += e.number("temperature");
        n++;
      }
    }
    return sum / n;
  }

  @Test
  void calibrationShiftMovesOneSensorByTheDocumentedDegreesFromTheGivenTime() {
    long hour = 3_600_000L;
    long shiftAt = 15 * hour;
    // Compare the same time of day on two days, so the diurnal cycle cancels out.
    SensorTemperatureGenerator g = new SensorTemperatureGenerator(4, 3).withDrift(Drift.NONE.withShift("sensor-002", 86_400_000L, 3.0));
    double before = mean(g, 4, "sensor-002", shiftAt, shiftAt + hour);
    double after = mean(g, 4, "sensor-002", 86_400_000L + shiftAt, 86_400_000L + shiftAt + hour);
    assertThat(after - before).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.1));
    double otherBefore = mean(g, 4, "sensor-001", shiftAt, shiftAt + hour);
    double otherAfter = mean(g, 4, "sensor-001", 86_400_000L + shiftAt, 86_400_000L + shiftAt + hour);
    assertThat(otherAfter - otherBefore).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.1));
  }

  @Test
  void gradualDriftMovesEveryMeanByTheDocumentedRate() {
    SensorTemperatureGenerator g = new SensorTemperatureGenerator(2, 9).withDrift(Drift.NONE.withGradual(0, 0.5));
    long day = 86_400_000L;
    double dayOne = mean(g, 2, "sensor-000", 12 * 3_600_000L, 13 * 3_600_000L);
    double dayThree = mean(g, 2, "sensor-000", 2 * day + 12 * 3_600_000L, 2 * day + 13 * 3_600_000L);
    assertThat(dayThree - dayOne).isCloseTo(48 * 0.5, org.assertj.core.data.Offset.offset(0.1)); // 48 h at 0.5 °C/h
  }

  @Test
  void resetMarkersComeForEverySensorAtTheGivenPeriod() {
    SensorTemperatureGenerator g = new SensorTemperatureGenerator(2, 1).withResetMarkers(60_000);
    java.util.List<Event> resets = new java.util.ArrayList<>();
    for (long t = 0; t < 300_000; t += 500) {
      Event e = g.next(t);
      if ("reset".equals(e.attributes().get("type"))) {
        resets.add(e);
        assertThat(e.number("temperature")).isNull();
      }
    }
    assertThat(resets).hasSize(2 * 4); // each of 2 sensors at 60 s, 120 s, 180 s, 240 s
  }
}
