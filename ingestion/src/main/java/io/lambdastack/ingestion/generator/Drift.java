package io.lambdastack.ingestion.generator;

/**
 * Concept drift to inject into the sensor stream, for the drift monitor to find:
 * <ul>
 *   <li>a calibration shift: from {@code shiftAt} on, sensor {@code shiftSensor} reads {@code shiftDegrees} off;
 *   <li>a gradual change: from {@code gradualFrom} on, every sensor's mean moves {@code degreesPerHour} per hour.
 * </ul>
 */
public record Drift(String shiftSensor, long shiftAt, double shiftDegrees, long gradualFrom, double degreesPerHour) {
  public static final Drift NONE = new Drift(null, Long.MAX_VALUE, 0, Long.MAX_VALUE, 0);

  public Drift withShift(String sensor, long at, double degrees) {
    return new Drift(sensor, at, degrees, gradualFrom, degreesPerHour);
  }

  public Drift withGradual(long from, double perHour) {
    return new Drift(shiftSensor, shiftAt, shiftDegrees, from, perHour);
  }

  /** Degrees to add to a reading of {@code sensor} at {@code eventTime}. */
  double offset(String sensor, long eventTime) {
    double offset = 0;
    if (sensor.equals(shiftSensor) && eventTime >= shiftAt) {
      offset += shiftDegrees;
    }
    if (eventTime >= gradualFrom) {
      offset += degreesPerHour * (eventTime - gradualFrom) / 3_600_000.0;
    }
    return offset;
  }
}
