package io.lambdastack.ingestion.generator;

import io.lambdastack.view.event.Event;
import java.util.Map;
import java.util.Random;

/**
 * Temperature sensors spread over sites: a diurnal cycle (coolest around 03:00 UTC, warmest around 15:00),
 * a fixed per-sensor offset and Gaussian noise. Seeded, so a run is reproducible.
 */
public final class SensorTemperatureGenerator {
  static final String[] SITES = {"north", "south", "east", "west"};
  private final int sensors;
  private final Random random;
  private final double[] offsets;
  private long sequence;

  public SensorTemperatureGenerator(int sensors, long seed) {
    if (sensors <= 0) {
      throw new IllegalArgumentException("sensors must be positive, got " + sensors);
    }
    this.sensors = sensors;
    this.random = new Random(seed);
    this.offsets = new double[sensors];
    for (int i = 0; i < sensors; i++) {
      offsets[i] = random.nextGaussian() * 1.5;
    }
  }

  public static String sensorId(int index) {
    return String.format("sensor-%03d", index);
  }

  public static String siteOf(int index) {
    return SITES[index % SITES.length];
  }

  /** The next reading, from a sensor chosen round-robin, stamped with {@code eventTime}. */
  public Event next(long eventTime) {
    int sensor = (int) (sequence % sensors);
    long n = sequence++;
    double temperature = Math.round((diurnal(eventTime) + offsets[sensor] + random.nextGaussian() * 0.5) * 100) / 100.0;
    return new Event(sensorId(sensor) + "-" + n, eventTime,
        Map.of("sensorId", sensorId(sensor), "site", siteOf(sensor)),
        Map.of("temperature", temperature));
  }

  /** Mean temperature at this time of day: 15 °C ± 8 °C, peaking at 15:00 UTC. */
  static double diurnal(long eventTime) {
    double hourOfDay = Math.floorMod(eventTime, 86_400_000L) / 3_600_000.0;
    return 15 + 8 * Math.sin(2 * Math.PI * (hourOfDay - 9) / 24);
  }
}
