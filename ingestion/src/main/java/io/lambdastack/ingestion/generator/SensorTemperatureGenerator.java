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
  private final String[] ids;
  private long sequence;
  private Drift drift = Drift.NONE;
  private long resetEvery;
  private final java.util.Map<Integer, Long> lastReset = new java.util.HashMap<>();

  public SensorTemperatureGenerator(int sensors, long seed) {
    if (sensors <= 0) {
      throw new IllegalArgumentException("sensors must be positive, got " + sensors);
    }
    this.sensors = sensors;
    this.random = new Random(seed);
    this.offsets = new double[sensors];
    this.ids = new String[sensors];
    for (int i = 0; i < sensors; i++) {
      offsets[i] = random.nextGaussian() * 1.5;
      ids[i] = sensorId(i); // String.format per event would dominate a fast producer
    }
  }

  /** Injects concept drift (see {@link Drift}). */
  public SensorTemperatureGenerator withDrift(Drift drift) {
    this.drift = drift;
    return this;
  }

  /**
   * Emits a reset marker ({@code type=reset}, no temperature) for a sensor whenever {@code millis} of event
   * time passed since its last one: the boundaries of landmark windows (e.g. a sensor being serviced).
   */
  public SensorTemperatureGenerator withResetMarkers(long millis) {
    this.resetEvery = millis;
    return this;
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
    String id = ids[sensor];
    if (resetEvery > 0) {
      long last = lastReset.computeIfAbsent(sensor, s -> eventTime);
      if (eventTime - last >= resetEvery) {
        lastReset.put(sensor, eventTime);
        return new Event(eventId(id, eventTime, n), eventTime, Map.of("sensorId", id, "site", siteOf(sensor), "type", "reset"), Map.of());
      }
    }
    double temperature = Math.round((diurnal(eventTime) + offsets[sensor] + drift.offset(id, eventTime)
        + random.nextGaussian() * 0.5) * 100) / 100.0;
    return new Event(eventId(id, eventTime, n), eventTime, Map.of("sensorId", id, "site", siteOf(sensor), "type", "reading"),
        Map.of("temperature", temperature));
  }

  /**
   * Unique across runs that generate different times (two live runs, the demo and a producer), and the same
   * when a simulated run is replayed (same seed and --start): the validator then drops the replay as duplicates.
   */
  static String eventId(String sensor, long eventTime, long sequence) {
    return sensor + "-" + eventTime + "-" + sequence;
  }

  /** Mean temperature at this time of day: 15 °C ± 8 °C, peaking at 15:00 UTC. */
  static double diurnal(long eventTime) {
    double hourOfDay = Math.floorMod(eventTime, 86_400_000L) / 3_600_000.0;
    return 15 + 8 * Math.sin(2 * Math.PI * (hourOfDay - 9) / 24);
  }
}
