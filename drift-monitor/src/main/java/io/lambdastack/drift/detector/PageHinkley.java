package io.lambdastack.drift.detector;

/**
 * Page-Hinkley test for an upward or downward shift of a stream's mean (Page 1954; as in MOA and river).
 * Tracks the cumulative deviation of each value from the running mean, less a tolerance {@code delta},
 * and signals drift when it departs from its extreme by more than {@code threshold}. After a signal it
 * restarts, so it can detect the next change.
 */
public final class PageHinkley {
  private final double delta;
  private final double threshold;
  private final int minSamples;
  private long n;
  private double mean;
  private double upSum;
  private double upMin;
  private double downSum;
  private double downMax;

  /**
   * @param delta      magnitude of change tolerated (in the stream's units)
   * @param threshold  alarm threshold (lambda): larger means fewer false alarms and later detection
   * @param minSamples samples before any alarm
   */
  public PageHinkley(double delta, double threshold, int minSamples) {
    if (delta < 0 || threshold <= 0 || minSamples < 1) {
      throw new IllegalArgumentException("need delta >= 0, threshold > 0, minSamples >= 1");
    }
    this.delta = delta;
    this.threshold = threshold;
    this.minSamples = minSamples;
  }

  /** Adds a value; returns true when a shift of the mean is detected (the detector then restarts). */
  public boolean add(double x) {
    n++;
    mean += (x - mean) / n;
    upSum += x - mean - delta;
    upMin = Math.min(upMin, upSum);
    downSum += x - mean + delta;
    downMax = Math.max(downMax, downSum);
    boolean drift = n >= minSamples && (upSum - upMin > threshold || downMax - downSum > threshold);
    if (drift) {
      reset();
    }
    return drift;
  }

  public long samples() {
    return n;
  }

  private void reset() {
    n = 0;
    mean = 0;
    upSum = 0;
    upMin = 0;
    downSum = 0;
    downMax = 0;
  }
}
